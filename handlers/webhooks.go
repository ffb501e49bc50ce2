package handlers

import (
	"context"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/council-components/registry/models"
)

// WebhookStore is what the webhook handlers need from storage.
type WebhookStore interface {
	CreateWebhook(ctx context.Context, actor models.Actor, in models.WebhookInput) (models.CreatedWebhook, error)
	ListWebhooks(ctx context.Context, p models.Page) (models.List[models.Webhook], error)
	DeleteWebhook(ctx context.Context, actor models.Actor, id int64) error
	RotateWebhookSecret(ctx context.Context, actor models.Actor, id int64) (models.CreatedWebhook, error)
}

// Webhooks lets admins register URLs to be told of changes.
type Webhooks struct {
	Store WebhookStore
}

// CreateWebhook godoc
//
//	@Summary		Register a webhook (admins)
//	@Description	From now on, each change in the feed (/api/v1/changes), or each change to the kinds of record in entities, is POSTed to the https URL as the feed's JSON entry, signed in the Standard Webhooks form (https://www.standardwebhooks.com): webhook-id (the delivery's id, the same on every retry), webhook-timestamp (Unix seconds when this attempt was signed) and webhook-signature: v1,BASE64, the HMAC-SHA256 of "id.timestamp.body" under the key in the webhook's secret (whsec_ and base64). Refuse a delivery whose timestamp is more than five minutes from your clock. X-Registry-Event names the change (e.g. component.updated). The secret is in this response once and never again. A delivery that does not get a 2xx answer is retried with exponential backoff (30 seconds, doubling, up to 4 hours between tries, 10 tries). The URL must be on port 443 and its host must be, and resolve only to, public (global unicast) addresses, or it is refused (400 naming url); deliveries check the address again as they connect, and follow no redirects.
//	@Tags			webhooks
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			webhook	body		models.WebhookInput	true	"url (https) is required"
//	@Success		201		{object}	models.CreatedWebhook
//	@Failure		400		{object}	Problem
//	@Failure		401		{object}	Problem
//	@Failure		403		{object}	Problem
//	@Router			/api/v1/webhooks [post]
func (h *Webhooks) CreateWebhook(c *gin.Context) {
	w, ok := create(c, h.Store.CreateWebhook)
	if !ok {
		return
	}
	c.Header("Location", "/api/v1/webhooks/"+strconv.FormatInt(w.ID, 10))
	writeSecret(c, http.StatusCreated, w)
}

// RotateWebhookSecret godoc
//
//	@Summary		Give a webhook a new secret (admins)
//	@Description	The new secret is in this response once and never again. Every delivery from now on, retries of earlier changes included, is signed with it alone, so signatures under the old secret stop verifying.
//	@Tags			webhooks
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id	path		int	true	"webhook id"
//	@Success		200	{object}	models.CreatedWebhook
//	@Failure		401	{object}	Problem
//	@Failure		403	{object}	Problem
//	@Failure		404	{object}	Problem
//	@Router			/api/v1/webhooks/{id}/rotate-secret [post]
func (h *Webhooks) RotateWebhookSecret(c *gin.Context) {
	id, ok := pathID(c)
	if !ok {
		return
	}
	w, err := h.Store.RotateWebhookSecret(c.Request.Context(), actor(c), id)
	if err != nil {
		WriteError(c, err)
		return
	}
	writeSecret(c, http.StatusOK, w)
}

// writeSecret answers with a webhook and its secret, which no cache may keep.
func writeSecret(c *gin.Context, status int, w models.CreatedWebhook) {
	c.Header("Cache-Control", "no-store")
	c.JSON(status, w)
}

// ListWebhooks godoc
//
//	@Summary	List webhooks (admins); never their secrets
//	@Tags		webhooks
//	@Produce	json
//	@Security	BearerAuth
//	@Param		limit	query		int		false	"page size, 1 to 100 (default 20)"
//	@Param		cursor	query		string	false	"opaque cursor"
//	@Success	200		{object}	ListBody[models.Webhook]
//	@Failure	401		{object}	Problem
//	@Failure	403		{object}	Problem
//	@Router		/api/v1/webhooks [get]
func (h *Webhooks) ListWebhooks(c *gin.Context) {
	listPage(c, &query{c: c}, h.Store.ListWebhooks)
}

// DeleteWebhook godoc
//
//	@Summary	Remove a webhook and its undelivered changes (admins)
//	@Tags		webhooks
//	@Security	BearerAuth
//	@Param		id	path	int	true	"webhook id"
//	@Success	204
//	@Failure	401	{object}	Problem
//	@Failure	403	{object}	Problem
//	@Failure	404	{object}	Problem
//	@Router		/api/v1/webhooks/{id} [delete]
func (h *Webhooks) DeleteWebhook(c *gin.Context) {
	deleteUntagged(c, pathID, h.Store.DeleteWebhook)
}
