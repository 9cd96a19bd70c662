"""The questionnaire: onboarding and changing one answer."""
