package handlers

import (
	"context"

	"github.com/gin-gonic/gin"

	"github.com/council-components/registry/models"
)

// scopesKey is where a handler names the scopes its answer depends on, for
// the response cache (models/scope.go says what a scope is).
const scopesKey = "answer.scopes"

// Scopes returns the scopes the request's answer depends on, as its handler
// named them; nil when it named none: the answer depends on everything.
func Scopes(c *gin.Context) []string {
	s, _ := c.Get(scopesKey)
	scopes, _ := s.([]string)
	return scopes
}

// scoped is get, naming with each answer the scopes the record depends on.
func scoped[K any, T interface{ Scopes() []string }](c *gin.Context, get func(context.Context, K) (T, error)) func(context.Context, K) (T, error) {
	return func(ctx context.Context, k K) (T, error) {
		v, err := get(ctx, k)
		if err == nil {
			c.Set(scopesKey, v.Scopes())
		}
		return v, err
	}
}

// scopedList is list, naming with each page the scopes its items depend on
// and membership, what decides which items are on it.
func scopedList[B any, T interface{ Scopes() []string }](c *gin.Context, list func(context.Context, B, models.Page) (models.List[T], error),
	membership ...string) func(context.Context, B, models.Page) (models.List[T], error) {
	return func(ctx context.Context, by B, p models.Page) (models.List[T], error) {
		out, err := list(ctx, by, p)
		if err == nil {
			c.Set(scopesKey, models.ListScopes(out.Items, membership...))
		}
		return out, err
	}
}
