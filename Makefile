# The README's two commands.
.PHONY: demo test setup

setup:
	bash scripts/setup.sh

## demo: build everything and analyse the bundled sample messages
demo: setup
	bash scripts/demo.sh

## test: every test, as CI runs it
test: setup
	bash scripts/test.sh
