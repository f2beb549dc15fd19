"""Bar and line charts as inline SVG data for the templates: drawn by the
server, no script and nothing fetched from outside the intranet."""


def bar_chart(rows: list[tuple[str, int]], *, width: int = 100) -> list[dict]:
    """Each row with its bar length as a percentage of the largest value."""
    top = max((value for _label, value in rows), default=0) or 1
    return [{"label": label or "—", "value": value, "percent": round(value * width / top, 1)} for label, value in rows]


def line_chart(labels: list[str], series: dict[str, list[int]], *, width: int = 600, height: int = 200,
               pad: int = 30) -> dict:
    """SVG polyline points for each series over the labels."""
    top = max((v for values in series.values() for v in values), default=0) or 1
    step = (width - 2 * pad) / max(len(labels) - 1, 1)

    def point(i, value):
        return f"{pad + i * step:.1f},{height - pad - value * (height - 2 * pad) / top:.1f}"

    return {
        "width": width, "height": height, "top": top,
        "labels": [{"text": label, "x": round(pad + i * step, 1), "y": height - 8} for i, label in enumerate(labels)],
        "series": [{"name": name, "points": " ".join(point(i, v) for i, v in enumerate(values)), "last": values[-1] if values else 0}
                   for name, values in series.items()],
    }
