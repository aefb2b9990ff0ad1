"""Import of indicator systems, responsibility tables and work plans as they really arrive."""
