package handlers

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/council-components/registry/models"
	"github.com/council-components/registry/publiccode"
	"github.com/council-components/registry/spreadsheet"
)

// InteropStore is what the import, export and change-feed handlers need from storage.
type InteropStore interface {
	ImportPubliccode(ctx context.Context, actor models.Actor, pc *models.Publiccode, opt models.PubliccodeOptions) (models.PubliccodeImport, error)
	PubliccodeSource(ctx context.Context, slug string) (models.PubliccodeSource, error)
	ImportAdoptions(ctx context.Context, actor models.Actor, rows []models.AdoptionImportRow, opt models.AdoptionImportOptions, progress func(done int)) (models.AdoptionImportReport, error)
	Export(ctx context.Context, sink models.ExportSink) error
	Version(ctx context.Context) (int64, error)
	Today() time.Time
	ListChanges(ctx context.Context, f models.ChangeFilter, p models.Page) (models.List[models.ChangeEntry], error)
}

// Interop serves what other systems exchange with the registry: publiccode.yml
// in and out, adoption spreadsheets, full exports and the change feed.
type Interop struct {
	Store InteropStore
}

// yamlTypes are the media types a publiccode.yml may be sent as; JSON is YAML too.
var yamlTypes = []string{"application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml", "application/json"}

// csvTypes are the media types an adoption spreadsheet may be sent as.
var csvTypes = []string{"text/csv", "application/csv", "text/plain"}

// readBody reads a non-JSON body of one of the accepted media types (or none given).
func readBody(c *gin.Context, accepted []string) ([]byte, error) {
	if ct := c.GetHeader("Content-Type"); ct != "" {
		if mt, _, err := mime.ParseMediaType(ct); err != nil || !slices.Contains(accepted, mt) {
			return nil, &models.Error{Code: "unsupported_media", Message: "send the body as " + strings.Join(accepted, " or ")}
		}
	}
	body, err := io.ReadAll(c.Request.Body)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return nil, models.Errorf(models.ETOOLARGE, "the request body is over the limit of %d bytes", tooBig.Limit)
	}
	if err != nil {
		return nil, models.Errorf(models.EINVALID, "the request body could not be read")
	}
	return body, nil
}

// parseBody reads the body, sent as one of the accepted types, through parse.
func parseBody[T any](c *gin.Context, accepted []string, parse func([]byte) (T, error)) (T, error) {
	body, err := readBody(c, accepted)
	if err != nil {
		var zero T
		return zero, err
	}
	return parse(body)
}

// ImportPubliccode godoc
//
//	@Summary		Create or update a component from a publiccode.yml file
//	@Description	Reads a publiccode.yml file (https://yml.publiccode.tools, publiccodeYmlVersion 0, 0.2 to 0.2.2, 0.3, 0.4 or 0.5, as the standard's own parser accepts) sent as application/yaml, validated as that parser does: lengths in characters, SPDX licence expressions, ISO 3166 and ISO 639 codes, email and URL formats. By default what only strict mode refuses (unknown keys, lower-case country codes, a missing maintenance section…) and what the standard deprecates come back as warnings; ?strict=true refuses them. The component is the one named by ?slug, else the one whose repository_url is the file's url, else a new one whose slug is made from its name. The file gives name, summary and description (description.en, else en-GB or another en-*, else its first language), repository_url (url), url (landingURL), docs_url (documentation), licence (legal.license; NOASSERTION and NONE mean none), lifecycle (developmentStatus: concept and development are alpha, beta beta, stable live, obsolete deprecated), capabilities (categories, through the table in the README), and depends_on (the dependsOn entries that name registry components). A new component's vendor is ?vendor, else the caller's own vendor, else the vendor whose name or website matches organisation.name, legal.repoOwner, legal.mainCopyrightOwner or organisation.uri. The whole file is kept, so the export gives back its platforms, softwareType, maintenance contacts, logo and everything else. Every problem in the file is reported at once with its YAML path, and nothing is written unless all is well. Importing a file that changes nothing writes nothing.
//	@Tags			components
//	@Accept			application/yaml,application/x-yaml,text/yaml,text/x-yaml,json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			file			body		string	true	"the publiccode.yml file"
//	@Param			slug			query		string	false	"the component to create or update"
//	@Param			vendor			query		string	false	"the vendor slug to list a new component under (admins may also move a component)"
//	@Param			capabilities	query		string	false	"comma-separated capability slugs to add to those the categories map to"
//	@Param			strict			query		bool	false	"refuse what the standard's parser refuses in strict mode, instead of warning"
//	@Success		200				{object}	models.PubliccodeImport	"an existing component, updated or unchanged"
//	@Success		201				{object}	models.PubliccodeImport	"a new component"
//	@Failure		400				{object}	Problem	"the file has problems; each is named by its YAML path"
//	@Failure		401				{object}	Problem
//	@Failure		403				{object}	Problem
//	@Failure		409				{object}	Problem	"the slug belongs to a component with another repository, or dependsOn would make a dependency cycle"
//	@Failure		413				{object}	Problem
//	@Failure		415				{object}	Problem
//	@Failure		422				{object}	Problem	"the vendor, capabilities or categories name nothing in the registry"
//	@Router			/api/v1/components/import [post]
func (h *Interop) ImportPubliccode(c *gin.Context) {
	q := query{c: c}
	opt := models.PubliccodeOptions{Slug: q.slug("slug"), Vendor: q.slug("vendor")}
	parse := publiccode.Parse
	if strict := q.boolean("strict"); strict != nil && *strict {
		parse = publiccode.ParseStrict
	}
	if v := c.Query("capabilities"); v != "" {
		for _, s := range strings.Split(v, ",") {
			if s = strings.TrimSpace(s); !models.ValidSlug(s) {
				q.p.Add("capabilities", "%q is not a lowercase-hyphenated slug", s)
			} else {
				opt.Capabilities = append(opt.Capabilities, s)
			}
		}
	}
	res, ok := read(c, &q, func(ctx context.Context) (models.PubliccodeImport, error) {
		pc, err := parseBody(c, yamlTypes, parse)
		if err != nil {
			return models.PubliccodeImport{}, err
		}
		res, err := h.Store.ImportPubliccode(ctx, actor(c), pc, opt)
		res.Warnings = append([]models.FieldError{}, pc.Warnings...)
		return res, err
	})
	if !ok {
		return
	}
	status := http.StatusOK
	if res.Created {
		status = http.StatusCreated
		c.Header("Location", "/api/v1/components/"+res.Component.Slug)
	}
	c.JSON(status, res)
}

// ExportPubliccode godoc
//
//	@Summary		A component as a publiccode.yml file
//	@Description	A component imported from a publiccode.yml gets its file back with the registry's fields brought up to date; any other component gets a new file. Importing the result again changes nothing. A component without a repository_url cannot be described (409): publiccode.yml identifies software by its source repository.
//	@Tags			components
//	@Produce		application/yaml
//	@Param			slug	path		string	true	"component slug"
//	@Success		200		{string}	string	"the publiccode.yml file"
//	@Failure		404		{object}	Problem
//	@Failure		409		{object}	Problem
//	@Router			/api/v1/components/{slug}/publiccode.yml [get]
func (h *Interop) ExportPubliccode(c *gin.Context) {
	src, err := h.Store.PubliccodeSource(c.Request.Context(), c.Param("slug"))
	if err != nil {
		WriteError(c, err)
		return
	}
	body, err := publiccode.Render(src)
	if err != nil {
		WriteError(c, err)
		return
	}
	if tagged(c, body) {
		c.Status(http.StatusNotModified)
		return
	}
	c.Header("Content-Disposition", `inline; filename="publiccode.yml"`)
	c.Data(http.StatusOK, "application/yaml; charset=utf-8", body)
}

// ImportAdoptions godoc
//
//	@Summary		Import adoptions from a spreadsheet (admins)
//	@Description	A CSV file with a header row naming its columns (any order and case): council (GSS code or name), component (slug or name), capability (needed only when the component provides several), status, started_on, ended_on, contract_end_on (YYYY-MM-DD), evidence_url, notes and public_contact (the council's key or an admin only). Each row creates an adoption, or updates the council's current adoption of that component (empty cells leave fields as they are), under the same rules as POST and PATCH /api/v1/adoptions, with the same history and audit entries. Every row's problems are reported with its row number (the header is row 1). Without strict every valid row is applied, in batches of a few hundred rows, each its own short transaction, so another writer waits for one batch at most, not the whole import; with strict=true nothing is applied when any row fails (422), and a valid file is written in one transaction. dry_run=true reports what would happen, writes nothing and takes no write lock. A spreadsheet has at most 50,000 rows (413 beyond).
//	@Tags			adoptions
//	@Accept			text/csv,application/csv,plain
//	@Produce		json
//	@Security		BearerAuth
//	@Param			file	body		string	true	"the spreadsheet as CSV"
//	@Param			dry_run	query		bool	false	"report what would change; write nothing"
//	@Param			strict	query		bool	false	"apply nothing if any row has a problem"
//	@Success		200		{object}	models.AdoptionImportReport
//	@Failure		400		{object}	Problem	"the file is not a usable spreadsheet (header, quoting)"
//	@Failure		401		{object}	Problem
//	@Failure		403		{object}	Problem
//	@Failure		413		{object}	Problem	"the body is over 1 MiB, or the spreadsheet over 50,000 rows; nothing was applied"
//	@Failure		415		{object}	Problem
//	@Failure		422		{object}	Problem	"strict: rows failed, so nothing was applied; errors name rows[N].column"
//	@Router			/api/v1/adoptions/import [post]
func (h *Interop) ImportAdoptions(c *gin.Context) {
	q := query{c: c}
	dryRun, strict := q.boolean("dry_run"), q.boolean("strict")
	opt := models.AdoptionImportOptions{DryRun: dryRun != nil && *dryRun, Strict: strict != nil && *strict}
	rep, ok := read(c, &q, func(ctx context.Context) (models.AdoptionImportReport, error) {
		rows, err := parseBody(c, csvTypes, func(b []byte) ([]models.AdoptionImportRow, error) {
			return spreadsheet.ReadAdoptions(bytes.NewReader(b))
		})
		if err != nil {
			return models.AdoptionImportReport{}, err
		}
		return h.Store.ImportAdoptions(ctx, actor(c), rows, opt, nil)
	})
	if !ok {
		return
	}
	if opt.Strict && !opt.DryRun && rep.Failed > 0 {
		var p models.Problems
		for _, r := range rep.Results {
			for _, fe := range r.Errors {
				p.Add(fmt.Sprintf("rows[%d].%s", r.Row, fe.Field), "%s", fe.Message)
			}
		}
		WriteError(c, p.ErrWithCode(models.EUNPROCESSABLE,
			fmt.Sprintf("%d of %d rows have problems, so nothing was applied (strict)", rep.Failed, rep.Rows)))
		return
	}
	c.JSON(http.StatusOK, rep)
}
