package models

import (
	"testing"

	"github.com/council-components/registry/internal/tabletest"
)

func TestValidDatePrefix(t *testing.T) {
	tabletest.Check(t, "ValidDatePrefix", ValidDatePrefix, map[string]bool{
		"2021": true, "2019-04": true, "2022-03-01": true,
		"": false, "21": false, "2019-13": false, "2019-4": false, "2022-02-30": false, "2022-03-01T00:00": false, "early 2020": false,
	})
}

func TestFundingFromQuote(t *testing.T) {
	tabletest.Check(t, "FundingFromQuote", FundingFromQuote, map[string]string{
		"award 41,2022-03-01,proptech-round-2,engagement,GBP 121750,local-authority:DAC": "GBP 121750",
		"award 9,GBP 99.50,x":              "GBP 99.50",
		"The £78,400 grant will develop":   "", // only "GBP n" is read: other wording is left to the quote
		"GBP to be confirmed":              "",
		"a GBP 5000 award and GBP 10 more": "GBP 5000",
		"":                                 "",
	})
}
