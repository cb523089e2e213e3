# Every check of the project lives in scripts/test.sh; make only calls it.
.PHONY: test test-quick

test:
	bash scripts/test.sh

test-quick:
	bash scripts/test.sh --quick
