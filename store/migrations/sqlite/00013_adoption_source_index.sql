-- +goose Up
-- Whether any demo adoption is loaded (Store.HasDemoData, asked by every page for its banner)
-- is one index probe instead of a scan of every adoption when there is none.
CREATE INDEX adoptions_source ON adoptions (source);

-- +goose Down
DROP INDEX adoptions_source;
