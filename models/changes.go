package models

import (
	"net/url"
	"slices"
	"strings"
	"time"
)

// ChangeEntry is one write as the public change feed shows it: what changed,
// when, and the role and organisation of who changed it. It is read from the
// audit log but never shows key prefixes or the records' contents.
type ChangeEntry struct {
	ID       int64       `json:"id" example:"1042"`
	At       time.Time   `json:"at" format:"date-time"`
	Entity   string      `json:"entity" example:"component"`
	Key      string      `json:"key" example:"govuk-pay"`
	Action   string      `json:"action" example:"updated"`
	Actor    ChangeActor `json:"actor"`
	Fields   []string    `json:"fields"`                           // the top-level fields an update changed; empty for creations and deletions
	Resource *string     `json:"resource" extensions:"x-nullable"` // the record's API path, when it has one
}

// ChangeActor is who made a change, without the key that made it.
type ChangeActor struct {
	Role string `json:"role" example:"vendor"`
	Org  string `json:"org,omitempty" example:"government-digital-service"`
}

// ChangeFilter narrows the change feed to one kind of record.
type ChangeFilter struct {
	Entity string
}

// ChangeEntities are the kinds of record the public feed shows: every audited
// kind but API keys and webhooks, whose details are for admins only.
var ChangeEntities = []string{"vendor", "capability", "component", "adoption", "need", "reorganisation", "reference_data"}

// PrivateEntities are audited but never in the public feed.
var PrivateEntities = []string{"api_key", "webhook"}

// resourcePaths are where each kind of record is served.
var resourcePaths = map[string]string{
	"vendor": "/api/v1/vendors/", "capability": "/api/v1/capabilities/", "component": "/api/v1/components/",
	"adoption": "/api/v1/adoptions/", "need": "/api/v1/needs/", "reorganisation": "/api/v1/reorganisations/",
}

// ResourcePath is the API path of an audited record, or nil when it has none.
func ResourcePath(entity, key string) *string {
	prefix, ok := resourcePaths[entity]
	if !ok || key == "" {
		return nil
	}
	p := prefix + url.PathEscape(key)
	return &p
}

// Title is a one-line account of the change, e.g. "component govuk-pay updated".
func (c ChangeEntry) Title() string {
	return strings.ReplaceAll(c.Entity, "_", " ") + " " + c.Key + " " + strings.ReplaceAll(c.Action, "_", " ")
}

// Webhook is a URL told of every change in the feed (or of some kinds of record).
type Webhook struct {
	ID              int64      `json:"id" example:"3"`
	URL             string     `json:"url" example:"https://hooks.example.gov.uk/registry" format:"uri"`
	Entities        []string   `json:"entities"` // the kinds of record it hears about; empty means all
	Description     string     `json:"description"`
	CreatedAt       time.Time  `json:"created_at" format:"date-time"`
	Pending         int        `json:"pending"` // deliveries waiting or being retried
	Failed          int        `json:"failed"`  // deliveries given up after every retry
	LastDeliveredAt *time.Time `json:"last_delivered_at" extensions:"x-nullable" format:"date-time"`
}

// WebhookInput is the body of a webhook registration.
type WebhookInput struct {
	URL         *string   `json:"url,omitempty" example:"https://hooks.example.gov.uk/registry" extensions:"x-nullable" format:"uri"`
	Entities    *[]string `json:"entities,omitempty" extensions:"x-nullable"`
	Description *string   `json:"description,omitempty" extensions:"x-nullable"`
}

// Validate checks a registration: an https URL and known kinds of record.
func (in WebhookInput) Validate(bool) error {
	var p Problems
	switch {
	case in.URL == nil:
		p.Add("url", "is required")
	case !strings.HasPrefix(*in.URL, "https://") || !ValidHTTPURL(*in.URL):
		p.Add("url", "must be an absolute https URL: deliveries are signed, and never sent in clear")
	default:
		if u, _ := url.Parse(*in.URL); u.User != nil {
			p.Add("url", "must not carry a user name or password")
		}
	}
	if in.Entities != nil {
		for _, e := range *in.Entities {
			if !slices.Contains(ChangeEntities, e) {
				p.Add("entities", "%q is not one of %s", e, strings.Join(ChangeEntities, ", "))
			}
		}
	}
	checkProse(&p, "description", in.Description, false, 500)
	return p.Err()
}

// CreatedWebhook is a new webhook with its signing secret, shown this once.
type CreatedWebhook struct {
	Webhook
	Secret string `json:"secret" example:"whsec_3f9a…"`
}

// WebhookDelivery is one change on its way to one webhook.
type WebhookDelivery struct {
	ID        int64
	WebhookID int64
	URL       string
	Secret    string // sealed for the database (webhooks.SecretKey); the worker opens it to sign
	Event     string // e.g. "component.updated"
	Payload   []byte
	Attempts  int // before this one
}

// DeliveryOutcome is what happened to a delivery attempt. A failed attempt is
// retried at RetryAt, or given up when RetryAt is nil.
type DeliveryOutcome struct {
	Delivered bool
	Status    int // the receiver's HTTP status, 0 when it could not be reached
	Error     string
	RetryAt   *time.Time
}
