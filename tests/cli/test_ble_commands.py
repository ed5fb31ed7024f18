"""``--ble`` and the BLE part of ``scan``, end to end: bleak's BlueZ backend against
BlueZoo with the simulated ball as a GATT peripheral; a BLE recording (packet envelope)
replays to the same events."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from smartball.cli import main
from smartball.recording import RecordingReader
from tests.ble.bluezoo_env import BALL_ADDRESS, PeripheralThread, VirtualBluez, missing_tools
from tests.ble.sim_source import ball_source

pytestmark = [
    pytest.mark.ble,
    pytest.mark.skipif(missing_tools() is not None, reason=str(missing_tools())),
]


@pytest.fixture(scope="module")
def ball() -> Iterator[PeripheralThread]:
    with VirtualBluez():
        peripheral = PeripheralThread(ball_source()).start()
        try:
            yield peripheral
        finally:
            peripheral.stop()


def test_scan_lists_the_ball(ball: PeripheralThread, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scan", "--json", "--adapter", "hci0", "--timeout", "3"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["ble_error"] is None
    assert BALL_ADDRESS in [b["address"] for b in result["ble"]]


def test_record_over_ble_then_replay_gives_the_same_events(
        ball: PeripheralThread, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rec = tmp_path / "ble.sbrec"
    rc = main(["live", "--ble", BALL_ADDRESS, "--adapter", "hci0", "--no-plot",
               "--seconds", "3", "--record", str(rec), "--events", "-"])
    out, err = capsys.readouterr()
    assert rc == 0, err
    live = [json.loads(x) for x in out.splitlines()]
    assert live[0]["type"] == "connected" and "info" in [e["type"] for e in live]
    reader = RecordingReader(rec)
    assert reader.header.envelope == "packet"
    assert len(list(reader)) > 50
    assert main(["replay", str(rec), "--speed", "max", "--no-plot", "--events", "-"]) == 0
    assert [json.loads(x) for x in capsys.readouterr().out.splitlines()] == live
