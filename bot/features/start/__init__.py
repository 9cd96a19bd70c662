"""/start, deep links aside, and the language picker."""
