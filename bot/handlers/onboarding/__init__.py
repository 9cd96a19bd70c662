"""The questionnaire: onboarding and changing one answer."""

# What other features may use of this one (tests/kernel/test_layout.py holds them to it).
PUBLIC: frozenset[str] = frozenset(
    {
        "callbacks.ReviewAction",
        "callbacks.ReviewPress",
        "detour.discard",
        "detour.paused_state",
        "detour.resume",
        "flow.begin",
        "flow.reshow_current",
        "flow.show_fields",
        "flow.total_steps",
        "keyboards.resume",
        "profiles.NotOwner",
        "profiles.load_profile",
        "profiles.save_profile",
        "questionnaire.get_step",
        "questionnaire.position",
        "states.Questionnaire",
        "texts.card",
        "texts.resume_prompt",
        "texts.welcome",
    }
)
