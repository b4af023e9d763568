"""Portrait-style demo avatars, drawn with Pillow (never fetched from anywhere).

`avatar_png(variant)` draws one head-and-shoulders portrait: a coloured background, shoulders
in a shirt, a neck, a face with eyes, brows and a smile, and one of several hair styles. The
drawing depends only on `variant`, so the demo data stays deterministic. `demo_photos(n)` runs
n variants through the photo service (`technicians.photos.process_photo`: checked, re-encoded,
thumbnailed) once; the seeder stores a copy for each technician who gets a photo.
"""

from __future__ import annotations

import random
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from technicians import photos

SIDE = 320
BACKGROUNDS = ("#dce8f2", "#e8e0f0", "#f2e6d8", "#dff0e4", "#f0dfe0", "#e4e9ec", "#f5edd0")
SKIN = ("#f6d7c3", "#eac0a0", "#d9a37e", "#c08a5f", "#9c6b43", "#7a4e2d", "#5a3820")
HAIR = ("#1f1a17", "#3b2a1e", "#6b4a2b", "#a0703c", "#c9a063", "#8c8c8c", "#d9d4cc", "#7a2e1c")
SHIRTS = ("#14405f", "#2f6d4f", "#7a3b52", "#4a5360", "#8a4b00", "#3b3b98", "#1d6b73", "#5b6b2f")
STYLES = ("short", "long", "bun", "bald", "curly", "fringe")
VARIANTS = 48  # distinct portraits; technicians share them round-robin


def avatar_png(variant: int) -> bytes:
    rng = random.Random(7919 * variant + 17)
    skin = SKIN[rng.randrange(len(SKIN))]
    hair = HAIR[rng.randrange(len(HAIR))]
    style = STYLES[variant % len(STYLES)]
    image = Image.new("RGB", (SIDE, SIDE), BACKGROUNDS[variant % len(BACKGROUNDS)])
    draw = ImageDraw.Draw(image)
    cx = SIDE // 2
    head_w, head_h = rng.randint(96, 112), rng.randint(120, 134)
    top = 70
    face = (cx - head_w // 2, top, cx + head_w // 2, top + head_h)
    if style == "long":  # hair falling behind the shoulders
        draw.rounded_rectangle(
            (face[0] - 18, top - 12, face[2] + 18, top + head_h + 70), radius=50, fill=hair
        )
    # Shoulders, collar and neck.
    draw.ellipse(
        (cx - 140, SIDE - 95, cx + 140, SIDE + 150), fill=SHIRTS[rng.randrange(len(SHIRTS))]
    )
    draw.rectangle((cx - 22, top + head_h - 20, cx + 22, SIDE - 80), fill=skin)
    draw.polygon([(cx - 30, SIDE - 90), (cx, SIDE - 55), (cx + 30, SIDE - 90)], fill="#ffffff")
    # Ears, then the face.
    draw.ellipse((face[0] - 10, top + 52, face[0] + 14, top + 84), fill=skin)
    draw.ellipse((face[2] - 14, top + 52, face[2] + 10, top + 84), fill=skin)
    draw.ellipse(face, fill=skin)
    # Hair on top.
    if style in ("short", "long", "fringe", "bun"):
        draw.chord((face[0] - 4, top - 10, face[2] + 4, top + 70), 180, 360, fill=hair)
    if style == "fringe":
        draw.polygon(
            [(face[0] + 4, top + 28), (cx + 30, top + 22), (face[0] + 20, top + 50)], fill=hair
        )
    if style == "bun":
        draw.ellipse((cx - 26, top - 44, cx + 26, top + 4), fill=hair)
    if style == "curly":
        for index in range(9):
            angle_x = face[0] + index * head_w // 8
            draw.ellipse((angle_x - 20, top - 20, angle_x + 20, top + 22), fill=hair)
    if style == "bald":
        draw.arc((face[0] + 10, top + 4, face[2] - 10, top + 40), 200, 340, fill="#ffffff", width=2)
    # Eyes, brows, nose and a smile.
    eye_y = top + head_h * 45 // 100
    for side in (-1, 1):
        ex = cx + side * head_w // 5
        draw.ellipse((ex - 6, eye_y - 6, ex + 6, eye_y + 6), fill="#ffffff")
        draw.ellipse((ex - 3, eye_y - 3, ex + 3, eye_y + 3), fill="#2b2118")
        draw.line((ex - 10, eye_y - 15, ex + 10, eye_y - 16 - side), fill=hair, width=4)
    draw.line((cx, eye_y + 8, cx - 4, eye_y + 28, cx + 3, eye_y + 30), fill="#00000044", width=2)
    mouth_y = top + head_h * 72 // 100
    draw.arc((cx - 20, mouth_y - 12, cx + 20, mouth_y + 10), 20, 160, fill="#7a2e2e", width=4)
    if rng.random() < 0.25:  # glasses
        for side in (-1, 1):
            ex = cx + side * head_w // 5
            draw.ellipse((ex - 15, eye_y - 13, ex + 15, eye_y + 13), outline="#222222", width=3)
        draw.line(
            (cx - head_w // 5 + 15, eye_y, cx + head_w // 5 - 15, eye_y), fill="#222222", width=3
        )
    buffer = BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def demo_photos(count: int = VARIANTS) -> list[photos.ProcessedPhoto]:
    """`count` portraits, each checked and re-encoded by the photo service, as an upload is."""
    return [
        photos.process_photo(SimpleUploadedFile(f"avatar-{variant}.png", avatar_png(variant)))
        for variant in range(count)
    ]
