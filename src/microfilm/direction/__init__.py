"""Direction: what each shot shows, decided from the screenplay before anything is paid for.

`staging` reads who is present, who is only heard, what they do and what props the action
names; `coverage` turns that into shots by film grammar; `lint` checks a board against the
script; `prompts` writes one shot's words for each model family.
"""
