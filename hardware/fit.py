#!/usr/bin/env python3
"""Does the ball's inside fit? One set of numbers (parts.json) for the check, the OpenSCAD
capsule (capsule_params.scad, included by capsule.scad) and the stack-up drawing (stackup.svg).

    python3 hardware/fit.py            check, print the report; exit 1 if anything misfits or a
                                       generated file is stale
    python3 hardware/fit.py --write    regenerate capsule_params.scad, stackup.svg and
                                       dimensions.md, then check
    python3 hardware/fit.py --parts my_parts.json   try other parts (checks only)

Coordinates inside the capsule (mm): x along its length from the USB-C end, y across, z up
from the floor; the origin is the inside corner. Parts are boxes with the clearances of
parts.json; the capsule's long edges are rounded and its ends cut by a sphere, both as large
as the parts allow, so that its section passes the access hole and its extent stays small.

Only the standard library: CI runs it with the system Python (`make hardware-test`).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
PARTS = HERE / "parts.json"
SCAD_PARAMS = HERE / "capsule_params.scad"
SVG = HERE / "stackup.svg"
TABLE = HERE / "dimensions.md"

G = 9.80665  # m/s^2


def num(p: dict[str, Any], *keys: str) -> float:
    """The 'design' figure of an entry, else its 'value'."""
    node: Any = p
    for k in keys:
        node = node[k]
    v = node.get("design", node.get("value"))
    if not isinstance(v, (int, float)):
        raise ValueError(f"{'.'.join(keys)} has no single design figure")
    return float(v)


@dataclass(frozen=True)
class Box:
    name: str
    x0: float
    y0: float
    z0: float
    x1: float
    y1: float
    z1: float

    def corners(self) -> list[tuple[float, float, float]]:
        return [(x, y, z) for x in (self.x0, self.x1) for y in (self.y0, self.y1)
                for z in (self.z0, self.z1)]

    def gap_to(self, o: Box) -> float:
        """Largest separation along an axis (negative: they overlap by that much)."""
        return max(o.x0 - self.x1, self.x0 - o.x1, o.y0 - self.y1, self.y0 - o.y1,
                   o.z0 - self.z1, self.z0 - o.z1)


@dataclass(frozen=True)
class Layout:
    parts: list[Box]
    inner: tuple[float, float, float]   # interior length, width, height
    outer: tuple[float, float, float]
    wall: float
    edge_r: float                       # outer radius of the long edges
    sphere_d: float                     # the ends are cut by a sphere of this diameter
    usb_center: tuple[float, float]     # (y, z) of the USB-C receptacle's axis
    usb_slot: tuple[float, float]       # slot width, height in the end wall
    sensor_xy: tuple[float, float]      # BMP390 die position under the lid vents
    section_d: float                    # smallest hole diameter the section passes
    extent: float                       # largest extent in any direction


def layout(p: dict[str, Any]) -> Layout:
    c = num(p, "capsule", "part_clearance")
    gap = num(p, "capsule", "layer_gap")
    wall = num(p, "capsule", "wall")
    chan = num(p, "capsule", "wire_channel")
    cell = (num(p, "cell", "length"), num(p, "cell", "width"), num(p, "cell", "thickness"))
    xl, xw = num(p, "xiao", "length"), num(p, "xiao", "width")
    x_back, x_pcb, x_top = (num(p, "xiao", "back_joints"), num(p, "xiao", "pcb"),
                            num(p, "xiao", "top_height"))
    overhang = num(p, "xiao", "usb_overhang")
    bl, bw, bt = (num(p, "bmp390_board", "length"), num(p, "bmp390_board", "width"),
                  num(p, "bmp390_board", "thickness"))
    sl, sw, sh = num(p, "switch", "length"), num(p, "switch", "width"), num(p, "switch", "height")
    om_w, om_h = num(p, "usb_plug", "overmold_width"), num(p, "usb_plug", "overmold_height")
    slot_c = num(p, "capsule", "usb_slot_clearance")
    bmp_gap = num(p, "capsule", "bmp_gap")

    # Width: the widest layer, centred, a wire channel each side.
    widest = max(cell[1], xw, bw, sl)
    inner_w = 2 * chan + 2 * c + widest

    def centred(w: float) -> tuple[float, float]:
        return (inner_w - w) / 2, (inner_w + w) / 2

    # Layer 1: the cell on the floor.
    z = c
    y0, y1 = centred(cell[1])
    cell_box = Box("cell", c, y0, z, c + cell[0], y1, z + cell[2])
    # Layer 2: the XIAO, USB-C at the x = 0 end (its receptacle lip at x = c), wires on its back.
    z = cell_box.z1 + gap
    y0, y1 = centred(xw)
    joints = Box("xiao solder joints", c + overhang, y0, z, c + overhang + xl, y1, z + x_back)
    pcb_z = joints.z1
    xiao = Box("xiao", c, y0, pcb_z, c + overhang + xl, y1, pcb_z + x_pcb + x_top)
    # The switch beyond the XIAO's far end, turned across, on the same layer.
    y0, y1 = centred(sl)
    sx0 = xiao.x1 + c
    switch = Box("switch", sx0, y0, joints.z0, sx0 + sw, y1, joints.z0 + sh)
    # Layer 3: the BMP390 board, set back from the USB-C end so a plug's overmold clears it.
    z = max(xiao.z1, switch.z1) + bmp_gap
    y0, y1 = centred(bw)
    setback = c + 1.5
    bmp = Box("bmp390 board", setback, y0, z, setback + bl, y1, z + bt)

    parts = [cell_box, joints, xiao, switch, bmp]
    inner_l = max(b.x1 for b in parts) + c
    inner_h = max(b.z1 for b in parts) + c
    inner = (inner_l, inner_w, inner_h)
    outer = (inner_l + 2 * wall, inner_w + 2 * wall, inner_h + 2 * wall)

    # Long edges: the largest inside radius that no part corner crosses.
    r_in = min(inner_w, inner_h) / 2
    for b in parts:
        for _, y, zz in b.corners():
            dy, dz = min(y, inner_w - y), min(zz, inner_h - zz)
            # The corner point (dy, dz) from the nearest edges must stay inside the quarter
            # circle of radius r centred at (r, r): (r - dy)^2 + (r - dz)^2 <= r^2, which
            # holds exactly for r <= dy + dz + sqrt(2 dy dz).
            r_in = min(r_in, dy + dz + math.sqrt(2 * dy * dz))
    r_in = math.floor(r_in * 10) / 10
    edge_r = r_in + wall

    # Section: a rounded rectangle; the hole it passes is its circumscribed circle.
    hy, hz = outer[1] / 2, outer[2] / 2
    section_d = 2 * (math.hypot(hy - edge_r, hz - edge_r) + edge_r)

    # Ends: a sphere centred in the capsule through the farthest part corner (plus clearance
    # and wall) trims the corners a box would have.
    cx, cy, cz = inner_l / 2, inner_w / 2, inner_h / 2
    far = max(math.dist((x, y, zz), (cx, cy, cz)) for b in parts for x, y, zz in b.corners())
    sphere_d = 2 * (far + c + wall)
    box_half_diag = math.dist((0, 0, 0), (outer[0] / 2, hy - edge_r, hz - edge_r)) + edge_r
    extent = min(sphere_d, 2 * box_half_diag)

    usb_center = ((xiao.y0 + xiao.y1) / 2, pcb_z + x_pcb + 1.6)
    usb_slot = (om_w + 2 * slot_c, om_h + 2 * slot_c)
    sensor_xy = ((bmp.x0 + bmp.x1) / 2, (bmp.y0 + bmp.y1) / 2)
    return Layout(parts, inner, outer, wall, edge_r, sphere_d, usb_center, usb_slot, sensor_xy,
                  section_d, extent)


# ------------------------------------------------------------------------ the pressed ball


def volume_fraction_lost(force_n: float, p: dict[str, Any]) -> float:
    """Settled (isothermal) volume loss at a force, from the ball's Pa/N and the gas law."""
    dp = num(p, "ball", "pa_per_n") * force_n
    return dp / (num(p, "ball", "ambient_pa") + dp)


def _bisect(f: Any, lo: float, hi: float) -> float:
    for _ in range(80):
        mid = (lo + hi) / 2
        if (f(lo) > 0) == (f(mid) > 0):
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def pressed_height_cap(inner_d: float, lost: float) -> float:
    """Inner height when two flat plates cut caps off a sphere (the wall flattens where it is
    pressed and stays spherical elsewhere: a stiff-walled ball)."""
    r = inner_d / 2
    v0 = 4 / 3 * math.pi * r**3

    def f(h: float) -> float:
        d = (inner_d - h) / 2
        return 2 * math.pi * d * d * (3 * r - d) / 3 / v0 - lost

    return _bisect(f, 0.0, inner_d)


def pressed_height_membrane(inner_d: float, lost: float) -> float:
    """Inner height of an inextensible membrane pressed flat (flat discs joined by a half
    torus; surface area kept): the wall bulges out as far as it can, a lower bound."""
    r0 = inner_d / 2
    a0, v0 = 4 * math.pi * r0**2, 4 / 3 * math.pi * r0**3

    def shape(h: float) -> float:
        r = h / 2
        a = _bisect(lambda a: 2 * math.pi * a * a + 2 * math.pi * r * (math.pi * a + 2 * r) - a0,
                    0.0, 3 * r0)
        v = 2 * math.pi * a * a * r + math.pi**2 * a * r * r + 4 / 3 * math.pi * r**3
        return 1 - v / v0 - lost

    return _bisect(shape, 0.5, inner_d)


# ------------------------------------------------------------------------------- checks


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def text(p: dict[str, Any], *keys: str) -> str:
    """The 'design' text of an entry (a material, a part name)."""
    node: Any = p
    for k in keys:
        node = node[k]
    v = node.get("design", node.get("value"))
    if not isinstance(v, str):
        raise ValueError(f"{'.'.join(keys)} has no text")
    return v


PA_PER_K = 101325 / 293.15  # the gas law at constant volume near 20 C: about 0.34 %/K


def sensor_top_pa(p: dict[str, Any], pa_per_n: float) -> float:
    """The highest pressure the sensor must read: the highest weather, plus the too-hard load
    pressed quickly (the squeeze heats the air: the overshoot)."""
    return (num(p, "ball", "ambient_max_pa")
            + pa_per_n * num(p, "ball", "design_load_n") * (1 + num(p, "ball", "overshoot")))


def ball_sizes(p: dict[str, Any], lay: Layout) -> list[str]:
    """Which ball sizes work with this capsule: 62-80 mm. A smaller cavity holds less air,
    so the same squeeze raises the pressure more: Pa/N scales about with 1 / cavity volume
    (an estimate from the reference ball; every ball is measured, assembly.md section 1)."""
    wall = num(p, "ball", "wall")
    ref_inner = num(p, "ball", "outer_diameter") - 2 * wall
    foam = num(p, "foam", "min_compressed")
    need_h = lay.extent + 2 * foam
    top = num(p, "pressure_sensor", "max_pa")
    rows = []
    for d in (62, 65, 70, 75, 80, 85):
        inner = d - 2 * wall
        pa_n = num(p, "ball", "pa_per_n") * (ref_inner / inner) ** 3
        lost = pa_n * num(p, "ball", "design_load_n") / (num(p, "ball", "ambient_pa")
                                                          + pa_n * num(p, "ball", "design_load_n"))
        h = pressed_height_cap(inner, lost)
        plug_max = inner / 2 - lay.outer[2] / 2 - foam
        p_top = sensor_top_pa(p, pa_n)
        fits = need_h <= h
        rows.append(
            f"{d} mm ball ({inner:.0f} mm cavity): about {pa_n:.0f} Pa/N; at "
            f"{num(p, 'ball', 'design_load_n'):.0f} N {h:.1f} mm inside for {need_h:.1f} "
            f"({'fits' if fits else 'capsule too big'}); plug at most {plug_max:.0f} mm inside; "
            f"top pressure {p_top / 1000:.0f} kPa "
            f"({'BMP390 covers it' if p_top <= top else 'beyond the BMP390: LPS28DFW range'}): "
            f"{'works' if fits and p_top <= top and plug_max >= 20 else 'does not work'}")
    return rows


def checks(p: dict[str, Any], lay: Layout) -> tuple[list[Check], list[str]]:
    out: list[Check] = []
    notes: list[str] = []
    c = num(p, "capsule", "part_clearance")
    il, iw, ih = lay.inner

    # 1. every part inside the capsule, with its clearance to the walls
    for b in lay.parts:
        m = min(b.x0, b.y0, b.z0, il - b.x1, iw - b.y1, ih - b.z1)
        out.append(Check(f"{b.name} inside the capsule", m >= c - 1e-9,
                         f"{m:.2f} mm to the nearest wall (need {c})"))
    # 2. parts apart (stacked layers touch only through their tape/foam gap)
    for i, a in enumerate(lay.parts):
        for b in lay.parts[i + 1:]:
            if {a.name, b.name} == {"xiao", "xiao solder joints"}:
                continue
            g = a.gap_to(b)
            out.append(Check(f"{a.name} / {b.name} apart", g >= 0.0,
                             f"{g:.2f} mm"))
    # 3. the cell in its pocket: the issue was a foam-wrapped 20 mm cell in a 21 mm bore
    cell = next(b for b in lay.parts if b.name == "cell")
    spare = min(cell.y0, iw - cell.y1)
    out.append(Check("cell in its pocket, without a foam wrap", spare >= c,
                     f"{spare:.2f} mm each side (cell {num(p, 'cell', 'width')} mm wide, "
                     f"pocket {iw:.1f}); held by a 1 mm foam pad under it, not a wrap"))
    # 4. the capsule's section through the access hole
    hole = num(p, "hole", "diameter")
    need = lay.section_d + 2 * num(p, "hole", "clearance")
    out.append(Check("capsule section passes the access hole", need <= hole,
                     f"section {lay.outer[1]:.1f} x {lay.outer[2]:.1f} mm, edges r "
                     f"{lay.edge_r:.1f}: passes {lay.section_d:.1f} mm, + clearance "
                     f"{need:.1f} <= hole {hole}"))
    # 5. foam goes in as strips after the capsule; each strip passes the hole uncompressed
    sheet, strip = num(p, "foam", "sheet"), num(p, "foam", "strip_width")
    diag = math.hypot(sheet, strip)
    out.append(Check("foam strips pass the hole uncompressed", diag <= hole,
                     f"{strip:.0f} x {sheet:.0f} mm strip: diagonal {diag:.1f} <= {hole}"))
    # 6. the pressed ball: capsule + squeezed foam under the inner height at the design load
    inner_d = num(p, "ball", "outer_diameter") - 2 * num(p, "ball", "wall")
    f_design = num(p, "ball", "design_load_n")
    lost = volume_fraction_lost(f_design, p)
    h_cap = pressed_height_cap(inner_d, lost)
    h_mem = pressed_height_membrane(inner_d, lost)
    need_h = lay.extent + 2 * num(p, "foam", "min_compressed")
    out.append(Check(f"capsule clears the wall at {f_design:.0f} N (flattened-cap model)",
                     need_h <= h_cap,
                     f"inner height {h_cap:.1f} mm (volume -{100 * lost:.1f} %) >= capsule "
                     f"extent {lay.extent:.1f} + 2 x foam {num(p, 'foam', 'min_compressed')} "
                     f"= {need_h:.1f}"))
    f_touch_cap = _bisect(lambda f: pressed_height_cap(inner_d, volume_fraction_lost(f, p))
                          - need_h, 1.0, 5000.0)
    f_touch_mem = _bisect(lambda f: pressed_height_membrane(inner_d, volume_fraction_lost(f, p))
                          - need_h, 1.0, 5000.0)
    wall = num(p, "ball", "wall")
    notes.append(
        f"pressed ball at {f_design:.0f} N, {inner_d:.0f} mm cavity: flattened-cap model "
        f"{h_cap:.1f} mm inside; inextensible-membrane bound {h_mem:.1f} mm. Foam fully "
        f"squeezed from about {f_touch_cap:.0f} N (cap model) or {f_touch_mem:.0f} N "
        f"(membrane bound). Check your ball: with {f_design / G:.1f} kg on it its outer "
        f"height must be at least {need_h + 2 * wall:.0f} mm.")
    # 7. USB-C: the plug reaches the receptacle through the end wall; nothing in front of it
    uy, uz = lay.usb_center
    sw, sh = lay.usb_slot
    rim = min(uy - sw / 2, iw - uy - sw / 2, uz - sh / 2, ih - uz - sh / 2) + lay.wall
    out.append(Check("USB-C overmold slot inside the end face", rim >= 0.8,
                     f"slot {sw:.1f} x {sh:.1f} mm, {rim:.2f} mm of wall left around it"))
    mouth = c  # the receptacle lip, at x = c; a plug's overmold stops there at the closest
    ow, oh = num(p, "usb_plug", "overmold_width"), num(p, "usb_plug", "overmold_height")
    om = Box("plug overmold", -1e3, uy - ow / 2, uz - oh / 2, mouth, uy + ow / 2, uz + oh / 2)
    for b in lay.parts:
        if b.name.startswith("xiao"):
            continue
        g = om.gap_to(b)
        out.append(Check(f"plug overmold clears the {b.name}", g >= 0.5, f"{g:.2f} mm"))
    # 8. the plug at the largest pressure: force out, against the pull test
    area_m2 = math.pi * (hole / 2000) ** 2
    overshoot = num(p, "ball", "overshoot")
    f_max = num(p, "ball", "max_load_n")
    dp_max = num(p, "ball", "pa_per_n") * f_max * (1 + overshoot)
    dp_sensor = 125000 - num(p, "ball", "ambient_pa")
    force_max = dp_max * area_m2
    pull = num(p, "plug", "required_pull_n")
    out.append(Check("plug pull test covers twice the largest outward force",
                     pull >= 2 * force_max,
                     f"{hole:.0f} mm plug: {dp_sensor * area_m2:.1f} N at the sensor's full "
                     f"range ({dp_sensor / 1000:.1f} kPa), {20000 * area_m2:.1f} N at 20 kPa, "
                     f"{force_max:.1f} N at {f_max:.0f} N quick ({dp_max / 1000:.1f} kPa); pull "
                     f"test {pull:.0f} N = {pull / G:.1f} kg"))
    wall_t = num(p, "ball", "wall")
    mu = num(p, "plug", "friction_mu")
    radial = force_max / (mu * math.pi * hole * wall_t) * 1e0  # N/mm^2 = MPa
    notes.append(
        f"plug: friction alone ({mu} x radial pressure x {math.pi * hole * wall_t:.0f} mm2 of "
        f"bore) needs {radial:.2f} MPa of radial pressure to hold {force_max:.0f} N; the "
        f"rubber bulging behind the wall adds an interlock. Neither is published for these "
        f"plugs, so every ball gets the pull test.")
    # 9. the seal: a leak time constant whose error over the longest loaded stretch stays
    #    inside half the zone hysteresis
    t_load = num(p, "seal", "longest_loaded_s")
    budget = num(p, "seal", "error_budget")
    tau_leak = -t_load / math.log(1 - budget)
    kg = num(p, "seal", "test_load_kg")
    minutes = num(p, "seal", "test_minutes")
    dp_test = num(p, "ball", "pa_per_n") * kg * G
    decay = 1 - math.exp(-minutes * 60 / tau_leak)
    vol_l = 4 / 3 * math.pi * (inner_d / 2) ** 3 / 1e6
    q = 1000 / tau_leak * vol_l / 100  # mbar L/s at 1 kPa over ambient
    notes.append(
        f"seal: leak time constant >= {tau_leak:.0f} s ({tau_leak / 60:.0f} min), so a "
        f"{t_load:.0f} s loaded stretch loses under {100 * budget:.1f} % of its reading. Test: "
        f"{kg:.0f} kg (about {dp_test:.0f} Pa on the reference ball), after 60 s of settling the "
        f"temperature-corrected rise may fall by at most {100 * decay:.1f} % in {minutes:.0f} min. "
        f"Equivalent leak rate {q:.1e} mbar L/s at 1 kPa over ambient ({vol_l * 1000:.0f} ml).")
    # 10. the leak test's temperature correction: what it may be off by (the sensor reads its
    #     die, not the air) must stay under a quarter of the decay the test allows
    t_err = num(p, "seal", "temp_error_k")
    allowed = decay * dp_test
    out.append(Check(f"leak test: a {t_err} K temperature error stays under a quarter of the "
                     "limit",
                     t_err * PA_PER_K <= allowed / 4,
                     f"{t_err} K reads as {t_err * PA_PER_K:.0f} Pa; the test allows {allowed:.0f} "
                     f"Pa of decay ({100 * decay:.1f} % of {dp_test:.0f} Pa at {kg:.0f} kg): "
                     f"a quarter is {allowed / 4:.0f} Pa"))
    # 11. the pressure sensor covers the ball: the measured Pa/N decides
    pa_n = num(p, "ball", "pa_per_n")
    top = num(p, "pressure_sensor", "max_pa")
    p_top = sensor_top_pa(p, pa_n)
    pa_n_max = ((top - num(p, "ball", "ambient_max_pa")) / num(p, "ball", "design_load_n")
                / (1 + num(p, "ball", "overshoot")))
    sensor = text(p, "pressure_sensor", "name")
    out.append(Check(f"the {sensor} covers this ball ({pa_n:.0f} Pa/N)",
                     p_top <= top,
                     f"{num(p, 'ball', 'ambient_max_pa') / 1000:.0f} kPa weather + {pa_n:.0f} "
                     f"Pa/N x {num(p, 'ball', 'design_load_n'):.0f} N x "
                     f"{1 + num(p, 'ball', 'overshoot'):.1f} = {p_top / 1000:.1f} kPa <= "
                     f"{top / 1000:.0f} kPa; balls above {pa_n_max:.0f} Pa/N need a "
                     f"wider-range sensor"))
    # 12. the plug reaches into the cavity: its inner end must clear the capsule (turned with
    #     its lid or floor towards the plug) and the squeezed foam
    plug_in = num(p, "plug", "inside_length")
    room = inner_d / 2 - lay.outer[2] / 2 - num(p, "foam", "min_compressed")
    out.append(Check("plug's inside end clears the capsule", plug_in <= room,
                     f"{plug_in:.0f} mm inside the wall <= {room:.1f} mm (cavity radius "
                     f"{inner_d / 2:.0f} - half the capsule's height {lay.outer[2] / 2:.1f} - foam "
                     f"{num(p, 'foam', 'min_compressed')}); plugs run 20-30 mm: measure yours"))
    # 13. the port's diode lies in the foam beside the port, between capsule and wall
    d_t = num(p, "diode", "diameter") + 2 * num(p, "diode", "sleeve")
    gap_eq = (inner_d - lay.extent) / 2
    need_eq = d_t + 2 * num(p, "foam", "min_compressed")
    out.append(Check("port diode fits between capsule and wall", need_eq <= gap_eq,
                     f"{d_t:.1f} mm sleeved + 2 x foam = {need_eq:.1f} <= {gap_eq:.1f} mm at rest "
                     f"(the equator only widens under load)"))
    # 14. the boss's adhesive bonds both the printed boss and the ball
    bonds = text(p, "charge_port", "adhesive_bonds").split()
    mats = [text(p, "capsule", "material"), text(p, "ball", "material")]
    out.append(Check("boss adhesive bonds the boss and the ball",
                     all(m in bonds for m in mats),
                     f"{text(p, 'charge_port', 'adhesive')}: bonds {', '.join(bonds)}; needs "
                     f"{' and '.join(mats)}"))
    notes.extend(ball_sizes(p, lay))
    return out, notes


# --------------------------------------------------------------------------- generated


def scad_params(p: dict[str, Any], lay: Layout) -> str:
    def fmt(v: float) -> str:
        return f"{v:.2f}"

    lines = [
        "// Generated by hardware/fit.py from hardware/parts.json: do not edit, run",
        "// `python3 hardware/fit.py --write`.",
        f"inner = [{', '.join(fmt(v) for v in lay.inner)}];",
        f"outer = [{', '.join(fmt(v) for v in lay.outer)}];",
        f"wall = {fmt(lay.wall)};",
        f"edge_r = {fmt(lay.edge_r)};",
        f"sphere_d = {fmt(lay.sphere_d)};",
        f"usb_center = [{fmt(lay.usb_center[0])}, {fmt(lay.usb_center[1])}];",
        f"usb_slot = [{fmt(lay.usb_slot[0])}, {fmt(lay.usb_slot[1])}];",
        f"sensor_xy = [{fmt(lay.sensor_xy[0])}, {fmt(lay.sensor_xy[1])}];",
        f"vent_d = {fmt(num(p, 'capsule', 'vent_hole'))};",
        f"wire_channel = {fmt(num(p, 'capsule', 'wire_channel'))};",
        f"wire_exit_d = {fmt(num(p, 'capsule', 'wire_exit'))};",
        f"lip = {fmt(num(p, 'capsule', 'lid_lip'))};",
        f"peg_spacing = {fmt(num(p, 'bmp390_board', 'hole_spacing'))};",
        f"peg_d = {fmt(num(p, 'bmp390_board', 'hole_d') - 0.3)};",
        f"port_d = {fmt(num(p, 'charge_port', 'diameter'))};",
        f"port_depth = {fmt(num(p, 'charge_port', 'depth'))};",
        f"port_flange = {fmt(num(p, 'charge_port', 'boss_flange'))};",
        f"ball_outer_d = {fmt(num(p, 'ball', 'outer_diameter'))};",
        f"ball_wall = {fmt(num(p, 'ball', 'wall'))};",
        "// parts: name, [x0, y0, z0], [x1, y1, z1] (inside coordinates)",
        "parts = [",
    ]
    for b in lay.parts:
        lines.append(f'  ["{b.name}", [{fmt(b.x0)}, {fmt(b.y0)}, {fmt(b.z0)}], '
                     f"[{fmt(b.x1)}, {fmt(b.y1)}, {fmt(b.z1)}]],")
    lines.append("];")
    return "\n".join(lines) + "\n"


def stackup_svg(p: dict[str, Any], lay: Layout) -> str:
    """Two views at 8 px/mm: side (x-z) and end (y-z) of the capsule with every part."""
    s = 8.0
    pad = 30.0
    ol, ow, oh = lay.outer
    wall = lay.wall
    colours = {"cell": "#e8b04a", "xiao solder joints": "#bbbbbb", "xiao": "#4a7fe8",
               "switch": "#8a5ac8", "bmp390 board": "#3aa86b"}
    w_px = pad * 3 + (ol + ow) * s
    h_px = pad * 2 + oh * s + 60
    el: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w_px:.0f}" height="{h_px:.0f}" '
        f'font-family="sans-serif" font-size="11">',
        f'<rect width="{w_px:.0f}" height="{h_px:.0f}" fill="white"/>',
    ]

    def view(ox: float, horiz: str, width: float, title: str) -> None:
        base = pad + oh * s  # y of the capsule's outer floor
        el.append(f'<text x="{ox:.1f}" y="{pad - 10:.1f}">{title}</text>')
        el.append(f'<rect x="{ox:.1f}" y="{pad:.1f}" width="{width * s:.1f}" '
                  f'height="{oh * s:.1f}" rx="{lay.edge_r * s if horiz == "y" else 0:.1f}" '
                  f'fill="#f2f2f2" stroke="black"/>')
        el.append(f'<rect x="{ox + wall * s:.1f}" y="{pad + wall * s:.1f}" '
                  f'width="{(width - 2 * wall) * s:.1f}" height="{(oh - 2 * wall) * s:.1f}" '
                  f'fill="white" stroke="#999" stroke-dasharray="3,2"/>')
        for b in lay.parts:
            a0, a1 = (b.x0, b.x1) if horiz == "x" else (b.y0, b.y1)
            x = ox + (wall + a0) * s
            y = base - (wall + b.z1) * s
            el.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{(a1 - a0) * s:.1f}" '
                      f'height="{(b.z1 - b.z0) * s:.1f}" fill="{colours[b.name]}" '
                      f'fill-opacity="0.75" stroke="black" stroke-width="0.5"/>')
        if horiz == "y":
            uy, uz = lay.usb_center
            sw, sh = lay.usb_slot
            el.append(f'<rect x="{ox + (wall + uy - sw / 2) * s:.1f}" '
                      f'y="{base - (wall + uz + sh / 2) * s:.1f}" width="{sw * s:.1f}" '
                      f'height="{sh * s:.1f}" fill="none" stroke="red" stroke-dasharray="4,2"/>')
        el.append(f'<text x="{ox:.1f}" y="{base + 16:.1f}">{width:.1f} x {oh:.1f} mm outside'
                  f'</text>')

    view(pad, "x", ol, "side (USB-C end at left)")
    view(pad * 2 + ol * s, "y", ow, "USB-C end (red: plug overmold slot)")
    y = pad + oh * s + 34
    x = pad
    for name, col in colours.items():
        el.append(f'<rect x="{x:.0f}" y="{y - 9:.0f}" width="10" height="10" fill="{col}"/>')
        el.append(f'<text x="{x + 14:.0f}" y="{y:.0f}">{name}</text>')
        x += 14 + 7 * len(name) + 16
    el.append(f'<text x="{pad:.0f}" y="{y + 18:.0f}">passes a {lay.section_d:.1f} mm hole; '
              f'largest extent {lay.extent:.1f} mm (generated by hardware/fit.py from '
              f'parts.json)</text>')
    el.append("</svg>")
    return "\n".join(el) + "\n"


def dimensions_md(p: dict[str, Any], lay: Layout, results: list[Check], notes: list[str]) -> str:
    """The dimension table of every part with its source, and what the check computed."""
    out = [
        "# Dimensions of the ball's inside",
        "",
        "Generated by `hardware/fit.py` from `hardware/parts.json` (edit that file, then run",
        "`python3 hardware/fit.py --write`). *value* is the figure from the source; *design* is",
        "what the capsule is built for. Where a source gives no figure the value is blank and the",
        "design figure is a margin we chose: check those parts with calipers before printing.",
        "",
        "Lengths in mm, forces in N, pressures in Pa. Sources in brackets are listed at the end.",
        "",
        "| part | dimension | value | design | source |",
        "|---|---|---|---|---|",
    ]
    sources = p["sources"]
    for part, entries in p.items():
        if part in ("about", "sources") or not isinstance(entries, dict):
            continue
        for key, e in entries.items():
            v = e.get("value")
            val = "" if v is None else (f"{v[0]}-{v[1]}" if isinstance(v, list) else f"{v}")
            des = e.get("design", "")
            src = str(e.get("source", ""))
            for sk in sources:
                if src.startswith(sk):
                    src = f"[{sk}]{src[len(sk):]}"
            out.append(f"| {part} | {key.replace('_', ' ')} | {val} | {des} | {src} |")
    il, iw, ih = lay.inner
    ol, ow, oh = lay.outer
    out += [
        "",
        "## The stack-up that results",
        "",
        f"Capsule outside {ol:.1f} x {ow:.1f} x {oh:.1f} mm, inside {il:.1f} x {iw:.1f} x "
        f"{ih:.1f} mm, long edges rounded to r {lay.edge_r:.1f}, ends cut by a "
        f"{lay.sphere_d:.1f} mm sphere: its section passes a {lay.section_d:.1f} mm hole and "
        f"its largest extent is {lay.extent:.1f} mm. Drawn to scale in "
        "[stackup.svg](stackup.svg); the OpenSCAD model is [capsule.scad](capsule.scad) "
        "(picture: [capsule_cutaway.png](capsule_cutaway.png)).",
        "",
        "| part | x (mm, from the USB-C end) | y (across) | z (up from the floor) |",
        "|---|---|---|---|",
    ]
    for b in lay.parts:
        out.append(f"| {b.name} | {b.x0:.1f} - {b.x1:.1f} | {b.y0:.1f} - {b.y1:.1f} | "
                   f"{b.z0:.1f} - {b.z1:.1f} |")
    out += ["", "## Checks (all must pass; CI runs them)", ""]
    for r in results:
        out.append(f"- {'ok' if r.ok else 'FAIL'}: {r.name}: {r.detail}")
    out += ["", "## Figures the check computes", ""]
    for n in notes:
        out.append(f"- {n}")
    out += ["", "## Sources", ""]
    for sk, sv in sources.items():
        out.append(f"- [{sk}] {sv}")
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--write", action="store_true",
                    help="regenerate capsule_params.scad, stackup.svg and dimensions.md")
    ap.add_argument("--parts", type=Path, default=PARTS,
                    help="another parts file to try (your cell, your ball): checks only")
    args = ap.parse_args(argv)
    try:
        p = json.loads(args.parts.read_text())
    except (OSError, ValueError) as e:
        print(f"fit.py: cannot read {args.parts}: {e}", file=sys.stderr)
        return 2
    try:
        lay = layout(p)
        results, notes = checks(p, lay)
    except (KeyError, TypeError, ValueError) as e:
        print(f"fit.py: {args.parts} lacks a figure or has a wrong one ({e}): compare it with "
              f"hardware/parts.json", file=sys.stderr)
        return 2
    generated = {SCAD_PARAMS: scad_params(p, lay), SVG: stackup_svg(p, lay),
                 TABLE: dimensions_md(p, lay, results, notes)}
    ET.fromstring(generated[SVG])  # well-formed, or this raises
    if args.parts.resolve() != PARTS:
        generated = {}  # a trial file: the committed drawings belong to parts.json
    if args.write:
        for path, text in generated.items():
            path.write_text(text)
    for path, text in generated.items():
        fresh = path.exists() and path.read_text() == text
        detail = "up to date" if fresh else "stale: run python3 hardware/fit.py --write"
        results.append(Check(f"{path.name} matches parts.json", fresh, detail))
    print(f"capsule outside {lay.outer[0]:.1f} x {lay.outer[1]:.1f} x {lay.outer[2]:.1f} mm "
          f"(inside {lay.inner[0]:.1f} x {lay.inner[1]:.1f} x {lay.inner[2]:.1f}), long edges r "
          f"{lay.edge_r:.1f}, ends cut by a {lay.sphere_d:.1f} mm sphere")
    for r in results:
        print(f"  {'ok  ' if r.ok else 'FAIL'} {r.name}: {r.detail}")
    for n in notes:
        print(f"  note {n}")
    bad = [r for r in results if not r.ok]
    if bad:
        print(f"{len(bad)} check(s) failed", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
