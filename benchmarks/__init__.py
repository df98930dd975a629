"""asv benchmarks of pyhf: one module per topic, each a table of what is measured."""
