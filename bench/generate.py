"""Generated publications for benchmarks and stress tests (original filler text, numbered notes)."""

from __future__ import annotations

SENTENCES = [
    "Sex worker-led organisations document what the law does to the people it claims to protect.",
    "Where selling or buying sex is a crime, reporting violence to the police becomes a risk in itself.",
    "Decriminalisation removes criminal penalties and leaves labour, health and safety law to do its work.",
    "Community paralegals explain rights, accompany people to court and record every case they handle.",
    "Funding that arrives late or for a single year makes it hard to keep trained staff.",
    "Health services reach more people when peers are paid to design and run them.",
    "Courts have recognised that criminal laws can violate the rights to health, safety and dignity.",
    "Evidence gathered by members is shared with lawmakers, journalists and international bodies.",
    "Campaigns that last a decade need leaders who are trained, paid and protected from retaliation.",
    "Each national context differs, but the demand for decriminalisation is shared across regions.",
]


def paragraph(seed: int, sentences: int = 6) -> str:
    return " ".join(SENTENCES[(seed * 7 + k * 3) % len(SENTENCES)] for k in range(sentences))


def large_brief(sections: int = 360, paragraphs: int = 5, notes: int = 440) -> str:
    """About 400 A4 pages with the default arguments: headings, text and ``notes`` footnotes.

    Notes are one to nine sentences long, and their calls fall anywhere in a paragraph (after
    a word, a comma or a full stop), so that pages end in all the ways a long report's do.
    """
    total = sections * paragraphs
    every = max(1, total // notes)
    lines = ["---", "type: policy-brief", 'title: "A Very Long Brief:"', "subtitle: Generated for stress tests",
             "date: 2025-06", "---", ""]
    count = 0
    for section in range(sections):
        lines += [f"# Section {section + 1}", ""]
        for index in range(paragraphs):
            number = section * paragraphs + index
            words = paragraph(number).split(" ")
            definition = []
            if number % every == 0 and count < notes:
                count += 1
                words[(count * 13) % len(words)] += f"[^n{count}]"
                text = " ".join(SENTENCES[(count + k) % len(SENTENCES)] for k in range(1 + (count * 5) % 9))
                definition = [f"[^n{count}]: Note {count}: {text}", ""]
            lines += [" ".join(words), "", *definition]
    return "\n".join(lines)
