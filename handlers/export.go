package handlers

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/council-components/registry/spreadsheet"
)

// Export godoc
//
//	@Summary		Everything, as a ZIP of CSV files
//	@Description	councils.csv, vendors.csv, capabilities.csv, components.csv and adoptions.csv (every record, from one consistent snapshot, with the same columns as the lists' CSV) and a README.md that explains every column and the data's licences. Lists inside a cell are separated by semicolons.
//	@Tags			export
//	@Produce		application/zip
//	@Success		200	{file}		file	"the ZIP archive"
//	@Failure		500	{object}	Problem
//	@Router			/api/v1/export [get]
func (h *Interop) Export(c *gin.Context) {
	ctx := c.Request.Context()
	version, err := h.Store.Version(ctx)
	if err != nil {
		WriteError(c, err)
		return
	}
	now := h.Store.Today().UTC().Truncate(time.Second)
	c.Header("Content-Type", "application/zip")
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="council-components-registry-%s.zip"`, now.Format("20060102")))
	archive := spreadsheet.NewArchive(c.Writer, now)
	if err = h.Store.Export(ctx, archive.Sink()); err == nil {
		err = archive.Close(version)
	}
	if err != nil {
		if !c.Writer.Written() {
			c.Writer.Header().Del("Content-Disposition")
			WriteError(c, err)
			return
		}
		// Too late for a problem document: the archive stops without its
		// directory, so no client can take it for a whole one.
		slog.ErrorContext(ctx, "export failed part way", "error", err)
		c.Abort()
	}
}
