"""Use cases: each takes a unit of work and `today`, asks the rules, stores through the ports, commits once."""
