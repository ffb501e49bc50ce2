package handlers

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/council-components/registry/models"
)

// AdminStore is what the key and audit handlers need from storage.
type AdminStore interface {
	CreateKey(ctx context.Context, actor models.Actor, role, org, name string, expires *time.Time) (string, models.APIKey, error)
	RevokeKey(ctx context.Context, actor models.Actor, prefix string) error
	ListKeys(ctx context.Context, p models.Page) (models.List[models.APIKey], error)
	ListAudit(ctx context.Context, f models.AuditFilter, p models.Page) (models.List[models.AuditEntry], error)
}

// Admin serves API keys and the audit log, to admins only.
type Admin struct {
	Store AdminStore
}

// KeyInput is the body of a key creation.
type KeyInput struct {
	Role      *string `json:"role,omitempty" example:"vendor" extensions:"x-nullable"`
	Org       *string `json:"org,omitempty" example:"government-digital-service" extensions:"x-nullable"`
	Name      *string `json:"name,omitempty" example:"GDS listings team" extensions:"x-nullable"`
	ExpiresAt *string `json:"expires_at,omitempty" example:"2027-11-29T00:00:00Z" extensions:"x-nullable" format:"date-time"`
}

// Validate checks a key creation body.
func (in KeyInput) Validate(bool) error {
	var p models.Problems
	if in.Role == nil {
		p.Add("role", "is required: admin, vendor or council")
	}
	if in.Org != nil {
		models.CheckOneLine(&p, "org", *in.Org)
	}
	if in.Name != nil {
		models.CheckOneLine(&p, "name", *in.Name)
	}
	if in.ExpiresAt != nil {
		if _, err := time.Parse(time.RFC3339, *in.ExpiresAt); err != nil {
			p.Add("expires_at", "must be an RFC 3339 time such as 2027-11-29T00:00:00Z")
		}
	}
	return p.Err()
}

// CreatedKey is a new key: the secret is shown here once and never again.
type CreatedKey struct {
	Key string `json:"key" example:"ccr_k3j9x2ab_..."`
	models.APIKey
}

// CreateKey godoc
//
//	@Summary		Create an API key (admins)
//	@Description	The key is in the response once; only its SHA-256 hash is stored. vendor keys need org = a vendor slug, council keys org = a council GSS code.
//	@Tags			admin
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			key	body		KeyInput	true	"role is required"
//	@Success		201	{object}	CreatedKey
//	@Failure		400	{object}	Problem
//	@Failure		401	{object}	Problem
//	@Failure		403	{object}	Problem
//	@Failure		422	{object}	Problem
//	@Router			/api/v1/keys [post]
func (h *Admin) CreateKey(c *gin.Context) {
	in, err := decodeInput[KeyInput](c, true)
	if err != nil {
		WriteError(c, err)
		return
	}
	org, name := "", ""
	if in.Org != nil {
		org = *in.Org
	}
	if in.Name != nil {
		name = *in.Name
	}
	var expires *time.Time
	if in.ExpiresAt != nil {
		t, _ := time.Parse(time.RFC3339, *in.ExpiresAt) // checked by Validate
		t = t.UTC()
		expires = &t
	}
	key, k, err := h.Store.CreateKey(c.Request.Context(), actor(c), *in.Role, org, name, expires)
	if err != nil {
		WriteError(c, err)
		return
	}
	c.Header("Location", "/api/v1/keys/"+k.Prefix)
	c.JSON(http.StatusCreated, CreatedKey{Key: key, APIKey: k})
}

// ListKeys godoc
//
//	@Summary	List API keys (admins); never their secrets
//	@Tags		admin
//	@Produce	json
//	@Security	BearerAuth
//	@Param		limit	query		int		false	"page size, 1 to 100 (default 20)"
//	@Param		cursor	query		string	false	"opaque cursor"
//	@Success	200		{object}	ListBody[models.APIKey]
//	@Failure	401		{object}	Problem
//	@Failure	403		{object}	Problem
//	@Router		/api/v1/keys [get]
func (h *Admin) ListKeys(c *gin.Context) {
	listPage(c, &query{c: c}, h.Store.ListKeys)
}

// RevokeKey godoc
//
//	@Summary	Revoke an API key by its visible prefix (admins); it stops working on the next request
//	@Tags		admin
//	@Security	BearerAuth
//	@Param		prefix	path	string	true	"the key's visible prefix, e.g. ccr_k3j9x2ab"
//	@Success	204
//	@Failure	401	{object}	Problem
//	@Failure	403	{object}	Problem
//	@Failure	404	{object}	Problem
//	@Router		/api/v1/keys/{prefix} [delete]
func (h *Admin) RevokeKey(c *gin.Context) {
	deleteUntagged(c, pathKey("prefix"), h.Store.RevokeKey)
}

// ListAudit godoc
//
//	@Summary	The audit log of every write, newest first (admins)
//	@Tags		admin
//	@Produce	json
//	@Security	BearerAuth
//	@Param		entity		query		string	false	"kind of record"	Enums(vendor, capability, component, adoption, need, api_key, reorganisation, webhook)
//	@Param		entity_key	query		string	false	"the record's slug, code or id"
//	@Param		actor		query		string	false	"a key prefix, or the vendor slug or council code that owns the key"
//	@Param		limit		query		int		false	"page size, 1 to 100 (default 20)"
//	@Param		cursor		query		string	false	"opaque cursor"
//	@Success	200			{object}	ListBody[models.AuditEntry]
//	@Failure	401			{object}	Problem
//	@Failure	403			{object}	Problem
//	@Router		/api/v1/audit [get]
func (h *Admin) ListAudit(c *gin.Context) {
	q := query{c: c}
	f := models.AuditFilter{Entity: q.enum("entity", models.AuditEntities), EntityKey: q.str("entity_key"), Actor: q.str("actor")}
	listBy(c, &q, f, h.Store.ListAudit)
}
