"""The process diagram on the case page: the case's flow drawn from its own
nodes (viewflow's layout of the flow class), with the steps done and the
current ones marked. The page renders it as inline SVG styled by app.css:
no script, nothing fetched, so it passes the Content-Security-Policy."""
import functools
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from viewflow.workflow import chart

from cases.models import Case, State
from common.prepared import Prepared

from .models import OPEN_STATUSES, CaseProcess, CaseTask
from .registry import kinds

# node.task_type -> the shape drawn
SHAPES = {
    "HUMAN": "task", "START": "start", "HUMAN_START": "start", "END": "end",
    "EXCLUSIVE_GATEWAY": "gateway", "SWITCH": "gateway", "PARALLEL_GATEWAY": "parallel", "JOIN": "parallel",
}
END_LABELS = {"closed": State.CLOSED.label, "dismissed": State.DISMISSED.label}


@dataclass(frozen=True)
class _Node:
    name: str
    shape: str
    x: int
    y: int
    width: int
    height: int
    title: object  # lazy: translated when drawn


@dataclass(frozen=True)
class _Edge:
    src: str
    dst: str
    path: str


@functools.cache
def _layout(flow_class) -> tuple[int, int, tuple[_Node, ...], tuple[_Edge, ...]]:
    """Where each node and edge of the flow goes; the same for every case of a kind."""
    grid = chart.calc_layout_data(flow_class)
    nodes = []
    for cell in grid.cells:
        node = cell.node
        shape = SHAPES.get(node.task_type, "gateway")
        if shape == "task":
            title = node.task_title or node.name
        elif shape == "end":
            kind = next((k for k in kinds().values() if k.flow is flow_class), None)
            title = kind.state_labels.get(node.name) if kind is not None else None
            title = title or END_LABELS.get(node.name, node.name)
        elif shape == "start":
            title = _("Registered")
        else:
            title = ""
        nodes.append(_Node(node.name, shape, cell.shape.x, cell.shape.y, cell.shape.width, cell.shape.height, title))
    edges = tuple(
        _Edge(edge.src.name, edge.dst.name, " ".join(f"{'M' if i == 0 else 'L'}{x},{y}" for i, (x, y) in enumerate(edge.segments)))
        for edge in grid.edges
        if edge.segments
    )
    return grid.width, grid.height, tuple(nodes), edges


def _lines(title: str) -> list[str]:
    """One line, or two for a long label with spaces (English)."""
    if len(title) <= 12 or " " not in title:
        return [title]
    words = title.split()
    best = min(range(1, len(words)), key=lambda i: abs(len(" ".join(words[:i])) - len(title) / 2))
    return [" ".join(words[:best]), " ".join(words[best:])]


# every node's task of the case's process, gateways included (only human tasks carry the case),
# compiled once (common.prepared: every case page reads it)
_REACHED = Prepared(lambda case_id: CaseTask.objects.filter(
    process__in=CaseProcess.objects.filter(case_id=case_id).values("pk")).values("flow_task", "status"))


def process_diagram(case: Case) -> dict | None:
    """The diagram of the case's process: nodes with their shape, position,
    label and state (``current``: an open task is there or the case ended
    there; ``done``: passed), and the edges between them (``done`` when the
    case went that way)."""
    kind = kinds().get(case.kind)
    if kind is None:
        return None
    flow_class = kind.flow
    width, height, nodes, edges = _layout(flow_class)
    reached: dict[str, set[str]] = {}
    for task in _REACHED.rows(case_id=case.pk):
        if task["flow_task"] is not None:
            reached.setdefault(task["flow_task"].name, set()).add(task["status"])

    def state(name: str, shape: str) -> str:
        statuses = reached.get(name, set())
        if statuses & set(OPEN_STATUSES) or (shape == "end" and statuses):
            return "current"
        return "done" if statuses else ""

    drawn = []
    for node in nodes:
        title = str(node.title) if node.title else ""
        lines = _lines(title) if node.shape == "task" else ([title] if title else [])
        drawn.append({
            "name": node.name, "shape": node.shape, "x": node.x, "y": node.y, "width": node.width,
            "height": node.height, "cx": node.width // 2, "cy": node.height // 2, "title": title,
            "lines": [(line, node.height // 2 + (i - (len(lines) - 1) / 2) * 24) for i, line in enumerate(lines)],
            "state": state(node.name, node.shape),
        })
    states = {n["name"]: n["state"] for n in drawn}
    return {
        "width": width,
        "height": height,
        "nodes": drawn,
        "edges": [
            {"path": e.path, "done": bool(states.get(e.src)) and bool(states.get(e.dst))} for e in edges
        ],
        "current": [n["title"] for n in drawn if n["state"] == "current" and n["shape"] in ("task", "end")],
    }
