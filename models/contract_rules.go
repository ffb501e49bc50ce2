package models

import "time"

// ContractEndingMonths are the months before a contract's end at which
// contract.ending fires, most urgent first.
var ContractEndingMonths = []int{6, 12, 18}

// ContractEndingStage is the stage a contract ending on end has reached on
// today (both YYYY-MM-DD): the fewest ContractEndingMonths whose day, that many
// calendar months before the end (time.AddDate's arithmetic: a day the month
// lacks runs on into the next), has come. due is false while the contract is
// further off than the longest, and for an end that is not a date.
func ContractEndingStage(end, today string) (months int, due bool) {
	e, err := time.Parse(time.DateOnly, end)
	if err != nil {
		return 0, false
	}
	for _, m := range ContractEndingMonths {
		if e.AddDate(0, -m, 0).Format(time.DateOnly) <= today {
			return m, true
		}
	}
	return 0, false
}
