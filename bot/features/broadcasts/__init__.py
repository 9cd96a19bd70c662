"""Admin broadcasts."""
