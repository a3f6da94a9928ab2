"""Draw assets/icon.png: a hand-written 7 on a dark tile with a 28x28 pixel grid hint.

    python assets/make_icon.py
"""

from pathlib import Path

from PIL import Image, ImageDraw

SIZE = 256


def main() -> None:
    image = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((8, 8, SIZE - 8, SIZE - 8), radius=44, fill=(28, 34, 48, 255))
    step = (SIZE - 48) / 7
    for i in range(8):
        x = 24 + i * step
        draw.line((x, 24, x, SIZE - 24), fill=(60, 70, 92, 255), width=2)
        draw.line((24, x, SIZE - 24, x), fill=(60, 70, 92, 255), width=2)
    seven = [(70, 72), (186, 66), (150, 130), (118, 196)]
    draw.line(seven, fill=(255, 255, 255, 255), width=26, joint="curve")
    for x, y in (seven[0], seven[-1]):
        draw.ellipse((x - 13, y - 13, x + 13, y + 13), fill=(255, 255, 255, 255))
    draw.ellipse((176, 176, 216, 216), fill=(46, 139, 87, 255))
    image.save(Path(__file__).with_name("icon.png"))


if __name__ == "__main__":
    main()
