package handlers

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/council-components/registry/models"
)

// The helpers here are the shape every resource's routes share: parse, call
// one store method, write.

// input is a request body that checks itself, for a create or an update.
type input interface{ Validate(create bool) error }

// decodeInput decodes the body and validates it for create or update.
func decodeInput[T input](c *gin.Context, create bool) (T, error) {
	var in T
	if err := decodeJSON(c, &in); err != nil {
		return in, err
	}
	return in, in.Validate(create)
}

// pathKey reads the path parameter name as a resource's key; any string will do.
func pathKey(name string) func(*gin.Context) (string, bool) {
	return func(c *gin.Context) (string, bool) { return c.Param(name), true }
}

// read answers with what get finds once the query q has read is sound; on an
// error it writes the problem and reports false.
func read[T any](c *gin.Context, q *query, get func(context.Context) (T, error)) (T, bool) {
	if err := q.err(); err != nil {
		WriteError(c, err)
		var zero T
		return zero, false
	}
	v, err := get(c.Request.Context())
	if err != nil {
		WriteError(c, err)
		return v, false
	}
	return v, true
}

// readPage reads the page q asks for and one page from list, after whatever
// filters q has read; on an error it writes the problem and reports false.
func readPage[T any](c *gin.Context, q *query, list func(context.Context, models.Page) (models.List[T], error)) (models.List[T], bool) {
	p := q.page()
	return read(c, q, func(ctx context.Context) (models.List[T], error) { return list(ctx, p) })
}

// listPage answers a list request with readPage's page.
func listPage[T any](c *gin.Context, q *query, list func(context.Context, models.Page) (models.List[T], error)) {
	if out, ok := readPage(c, q, list); ok {
		writeList(c, out)
	}
}

// listBy answers a list request with the page q asks for of list's items for
// by: the filter q has read, or the key of the record the items belong to.
func listBy[B, T any](c *gin.Context, q *query, by B, list func(context.Context, B, models.Page) (models.List[T], error)) {
	listPage(c, q, func(ctx context.Context, p models.Page) (models.List[T], error) { return list(ctx, by, p) })
}

// getResource answers a GET of the resource the path's key names.
func getResource[K, T any](c *gin.Context, key func(*gin.Context) (K, bool), get func(context.Context, K) (T, error)) {
	actOn(c, key, func(ctx context.Context, _ models.Actor, k K) (T, error) { return get(ctx, k) })
}

// actOn answers a request that does one thing, by the caller, to the resource
// the path's key names, with the resource as it then is.
func actOn[K, T any](c *gin.Context, key func(*gin.Context) (K, bool), do func(context.Context, models.Actor, K) (T, error)) {
	k, ok := key(c)
	if !ok {
		return
	}
	v, err := do(c.Request.Context(), actor(c), k)
	if err != nil {
		WriteError(c, err)
		return
	}
	writeResource(c, http.StatusOK, v)
}

// create stores the body, validated as new, by save; on an error it writes the
// problem and reports false.
func create[In input, T any](c *gin.Context, save func(context.Context, models.Actor, In) (T, error)) (T, bool) {
	var v T
	in, err := decodeInput[In](c, true)
	if err == nil {
		v, err = save(c.Request.Context(), actor(c), in)
	}
	if err != nil {
		WriteError(c, err)
		return v, false
	}
	return v, true
}

// createResource answers a POST with create's resource, written with 201 and its location.
func createResource[In input, T any](c *gin.Context, save func(context.Context, models.Actor, In) (T, error), location func(T) string) {
	if v, ok := create(c, save); ok {
		c.Header("Location", location(v))
		writeResource(c, http.StatusCreated, v)
	}
}

// updateResource answers a PATCH of the resource the path's key names, guarded by
// If-Match against the version get finds.
func updateResource[K any, In input, T any](c *gin.Context, key func(*gin.Context) (K, bool),
	get func(context.Context, K) (T, error), version func(T) int,
	save func(context.Context, models.Actor, K, In, *int) (T, error)) {
	actOn(c, key, func(ctx context.Context, a models.Actor, k K) (T, error) {
		in, err := decodeInput[In](c, false)
		if err != nil {
			var zero T
			return zero, err
		}
		ifVersion, err := precondition(c, func() (T, error) { return get(ctx, k) }, version)
		if err != nil {
			var zero T
			return zero, err
		}
		return save(ctx, a, k, in, ifVersion)
	})
}

// deleteResource answers a DELETE of the resource the path's key names,
// guarded by If-Match against the version get finds, as an update is.
func deleteResource[K, T any](c *gin.Context, key func(*gin.Context) (K, bool),
	get func(context.Context, K) (T, error), version func(T) int,
	del func(context.Context, models.Actor, K, *int) error) {
	deleteUntagged(c, key, func(ctx context.Context, a models.Actor, k K) error {
		ifVersion, err := precondition(c, func() (T, error) { return get(ctx, k) }, version)
		if err != nil {
			return err
		}
		return del(ctx, a, k, ifVersion)
	})
}

// deleteUntagged answers a DELETE of a record that has no representation of
// its own to tag (an API key, a webhook), so If-Match has nothing to compare.
func deleteUntagged[K any](c *gin.Context, key func(*gin.Context) (K, bool), del func(context.Context, models.Actor, K) error) {
	k, ok := key(c)
	if !ok {
		return
	}
	if err := del(c.Request.Context(), actor(c), k); err != nil {
		WriteError(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
