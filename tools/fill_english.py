"""Fill the English catalog from the msgids (the source language is English)."""

from pathlib import Path

from babel.messages.pofile import read_po, write_po

PATH = Path(__file__).resolve().parent.parent / "bot/locales/en/LC_MESSAGES/messages.po"


def main(path: Path = PATH) -> None:
    """Copy each msgid (and plural) into its msgstr, leaving existing ones alone."""
    with path.open("rb") as handle:
        catalog = read_po(handle, locale="en")
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple | list):
            message.string = (message.id[0], message.id[1])
        else:
            message.string = message.id
        message.flags.discard("fuzzy")
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100, sort_output=True, omit_header=False, no_location=True)


if __name__ == "__main__":
    main()
