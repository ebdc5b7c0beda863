"""minitorch.save / minitorch.load: round trips, atomic writes, refusal of pickles and corrupt files."""
import io
import math
import os
import pathlib
import pickle
import zipfile
from collections import OrderedDict

import numpy as np
import pytest
import torch

import minitorch
from minitorch import serialization
from tests.parity import assert_close

nn = minitorch.nn


def model():
    return nn.Sequential(nn.Linear(3, 5), nn.GELU(), nn.Linear(5, 2), nn.Embedding(4, 2))


def test_state_dict_round_trip_restores_model(tmp_path):
    src, dst = model(), model()
    path = tmp_path / "model.pt"
    minitorch.save(src.state_dict(), path)
    sd = minitorch.load(path)
    assert type(sd) is OrderedDict and list(sd) == list(src.state_dict())
    for k, v in src.state_dict().items():
        assert sd[k].dtype == v.dtype
        np.testing.assert_array_equal(sd[k].numpy(), v.numpy())
    dst.load_state_dict(sd)
    x = minitorch.randn(2, 3)
    np.testing.assert_array_equal(dst[:3](x).detach().numpy(), src[:3](x).detach().numpy())


def test_nested_structures_and_scalar_types_round_trip():
    t = minitorch.arange(6, dtype=minitorch.float64).reshape(2, 3)
    obj = {
        "tensors": [t, minitorch.tensor([1, 2], dtype=minitorch.int64), minitorch.tensor([True, False])],
        "tuple": (1, -2.5, "text", None, True, False),
        "floats": [math.inf, -math.inf, 0.1, 1e-310, 2**70],
        "arrays": {"f16": np.ones(3, np.float16), "u8": np.arange(4, dtype=np.uint8), "empty": np.zeros((0, 2))},
        "np_scalars": [np.float32(1.5), np.int64(7)],
        3: "int key",
        (1, "a"): "tuple key",
        None: OrderedDict(b=1, a=2),
        "dtype": minitorch.float16,
        "size": minitorch.Size([2, 3]),
        "unicode": "héllo ✓",
    }
    buf = io.BytesIO()
    minitorch.save(obj, buf)
    buf.seek(0)
    out = minitorch.load(buf)
    assert list(out) == list(obj)
    np.testing.assert_array_equal(out["tensors"][0].numpy(), t.numpy())
    assert [x.dtype for x in out["tensors"]] == [minitorch.float64, minitorch.int64, minitorch.bool]
    assert out["tuple"] == obj["tuple"] and type(out["tuple"]) is tuple
    assert out["floats"] == obj["floats"] and type(out["floats"][-1]) is int
    for k, a in obj["arrays"].items():
        assert out["arrays"][k].dtype == a.dtype and out["arrays"][k].shape == a.shape
    assert out["np_scalars"] == [np.float32(1.5), np.int64(7)] and type(out["np_scalars"][0]) is np.float32
    assert out[3] == "int key" and out[(1, "a")] == "tuple key"
    assert type(out[None]) is OrderedDict and list(out[None]) == ["b", "a"]
    assert out["dtype"] is minitorch.float16
    assert out["size"] == (2, 3) and type(out["size"]) is minitorch.Size
    assert out["unicode"] == obj["unicode"]


def test_nan_round_trips():
    buf = io.BytesIO()
    minitorch.save({"x": math.nan}, buf)
    buf.seek(0)
    assert math.isnan(minitorch.load(buf)["x"])


def test_parameters_requires_grad_and_sharing_survive(tmp_path):
    p = nn.Parameter(minitorch.randn(3))
    frozen = nn.Parameter(minitorch.randn(2), requires_grad=False)
    t = minitorch.randn(2, requires_grad=True)
    path = str(tmp_path / "params")
    minitorch.save({"p": p, "again": p, "frozen": frozen, "t": t, "list": [t]}, path)
    out = minitorch.load(path)
    assert isinstance(out["p"], nn.Parameter) and out["p"].requires_grad
    assert out["again"] is out["p"] and out["list"][0] is out["t"]
    assert isinstance(out["frozen"], nn.Parameter) and not out["frozen"].requires_grad
    assert out["t"].requires_grad and not isinstance(out["t"], nn.Parameter)
    assert os.listdir(tmp_path) == ["params"]


def test_optimizer_style_state_dict_round_trips(tmp_path):
    state = {
        "state": {0: {"step": minitorch.tensor(3.0), "exp_avg": minitorch.zeros(2, 2)}, 1: {"momentum_buffer": None}},
        "param_groups": [{"lr": 0.001, "betas": (0.9, 0.999), "eps": 1e-08, "weight_decay": 0, "amsgrad": False,
                          "maximize": False, "foreach": None, "params": [0, 1]}],
    }
    minitorch.save(state, tmp_path / "opt.pt")
    out = minitorch.load(tmp_path / "opt.pt")
    assert out["param_groups"] == state["param_groups"]
    assert set(out["state"]) == {0, 1} and out["state"][1] == {"momentum_buffer": None}
    assert out["state"][0]["step"].item() == 3.0


def test_weights_move_to_and_from_torch_through_a_file(tmp_path):
    t = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh(), torch.nn.Linear(4, 1)).double()
    minitorch.save({k: v.numpy() for k, v in t.state_dict().items()}, tmp_path / "w.npz")
    m = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 1)).double()
    m.load_state_dict(minitorch.load(tmp_path / "w.npz"))
    x = np.random.default_rng(0).standard_normal((5, 3))
    assert_close(m(minitorch.tensor(x)), t(torch.tensor(x)))
    minitorch.save(m.state_dict(), tmp_path / "back.pt")
    back = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh(), torch.nn.Linear(4, 1)).double()
    back.load_state_dict({k: torch.from_numpy(v.numpy()) for k, v in minitorch.load(tmp_path / "back.pt").items()})
    assert_close(m(minitorch.tensor(x)), back(torch.tensor(x)))


def test_file_is_a_plain_npz_with_a_json_index(tmp_path):
    path = tmp_path / "ckpt.pt"
    minitorch.save({"w": minitorch.ones(2)}, path)
    with np.load(path, allow_pickle=False) as archive:
        assert sorted(archive.files) == ["__minitorch_index__", "a0"]
        np.testing.assert_array_equal(archive["a0"], np.ones(2, np.float32))
    assert not (tmp_path / "ckpt.pt.npz").exists()


def test_overwrite_keeps_permissions_and_replaces_content(tmp_path):
    path = tmp_path / "ckpt"
    minitorch.save({"v": 1}, path)
    os.chmod(path, 0o640)
    minitorch.save({"v": 2}, path)
    assert minitorch.load(path) == {"v": 2}
    assert os.stat(path).st_mode & 0o777 == 0o640


def test_failed_write_leaves_the_old_file_intact(tmp_path, monkeypatch):
    path = tmp_path / "ckpt.pt"
    minitorch.save({"version": 1, "w": minitorch.ones(3)}, path)
    before = path.read_bytes()

    def crash_midway(fh, arrays):
        fh.write(b"PK\x03\x04 half a checkpoint")
        raise OSError("disk full")

    monkeypatch.setattr(serialization, "_write", crash_midway)
    with pytest.raises(OSError, match="disk full"):
        minitorch.save({"version": 2, "w": minitorch.zeros(3)}, path)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["ckpt.pt"]
    assert minitorch.load(path)["version"] == 1


def test_interrupted_write_leaves_no_new_file(tmp_path, monkeypatch):
    def interrupt(fh, arrays):
        fh.write(b"partial")
        raise KeyboardInterrupt

    monkeypatch.setattr(serialization, "_write", interrupt)
    with pytest.raises(KeyboardInterrupt):
        minitorch.save({"w": minitorch.ones(1)}, tmp_path / "new.pt")
    assert os.listdir(tmp_path) == []


def test_pickle_files_are_refused_without_unpickling(tmp_path):
    class Boom:
        def __reduce__(self):
            return (pathlib.Path.touch, (tmp_path / "pwned",))

    path = tmp_path / "evil.pt"
    path.write_bytes(pickle.dumps({"w": Boom()}))
    with pytest.raises(RuntimeError, match="is a Python pickle, not a minitorch checkpoint"):
        minitorch.load(path)
    assert not (tmp_path / "pwned").exists()


def test_torch_checkpoints_are_refused_with_a_hint(tmp_path):
    torch.save(torch.nn.Linear(2, 2).state_dict(), tmp_path / "torch.pt")
    with pytest.raises(RuntimeError, match="PyTorch checkpoint .*load_state_dict"):
        minitorch.load(tmp_path / "torch.pt")
    torch.save(torch.ones(2), tmp_path / "legacy.pt", _use_new_zipfile_serialization=False)
    with pytest.raises(RuntimeError, match="pickle"):
        minitorch.load(tmp_path / "legacy.pt")


def test_npz_with_object_arrays_is_refused(tmp_path):
    path = tmp_path / "obj.npz"
    np.savez(path, __minitorch_index__=np.frombuffer(b'{"format": "minitorch.save", "version": 1, "root": '
                                                     b'{"type": "ndarray", "key": "a0"}}', np.uint8),
             a0=np.array([{"a": 1}], dtype=object))
    with pytest.raises(RuntimeError, match="corrupt or truncated, or not a minitorch checkpoint"):
        minitorch.load(path)


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage", "empty"])
def test_corrupt_files_give_a_clear_error(tmp_path, damage):
    path = tmp_path / "ckpt.pt"
    minitorch.save(model().state_dict(), path)
    data = bytearray(path.read_bytes())
    if damage == "truncate":
        data = data[: len(data) // 2]
    elif damage == "flip":
        data[len(data) // 2: len(data) // 2 + 64] = bytes(64)
    elif damage == "garbage":
        data = bytearray(b"not a checkpoint at all")
    else:
        data = bytearray()
    path.write_bytes(bytes(data))
    with pytest.raises(RuntimeError, match="minitorch.load: .*ckpt.pt"):
        minitorch.load(path)


def test_foreign_archives_and_bad_indexes_are_refused(tmp_path):
    np.savez(tmp_path / "plain.npz", x=np.ones(2))
    with pytest.raises(RuntimeError, match="no __minitorch_index__ entry"):
        minitorch.load(tmp_path / "plain.npz")
    for index, match in [(b'{"format": "other"}', "did not write"),
                         (b'{"format": "minitorch.save", "version": 99, "root": {"type": "none"}}', "version 99"),
                         (b'{"format": "minitorch.save", "version": 1, "root": {"type": "code"}}', "corrupt"),
                         (b'{"format": "minitorch.save", "version": 1, "root": {"type": "tensor", "key": "a7"}}',
                          "corrupt"),
                         (b"{not json", "corrupt")]:
        np.savez(tmp_path / "bad.npz", __minitorch_index__=np.frombuffer(index, np.uint8))
        with pytest.raises(RuntimeError, match=match):
            minitorch.load(tmp_path / "bad.npz")
    with zipfile.ZipFile(tmp_path / "other.zip", "w") as z:
        z.writestr("readme.txt", "hello")
    with pytest.raises(RuntimeError, match="not a minitorch checkpoint"):
        minitorch.load(tmp_path / "other.zip")


def test_unsupported_objects_and_cycles_are_rejected(tmp_path):
    with pytest.raises(TypeError, match=r"cannot save an object of type Linear \(at root\['m'\]\)"):
        minitorch.save({"m": nn.Linear(1, 1)}, tmp_path / "x")
    with pytest.raises(TypeError, match="dtype object"):
        minitorch.save(np.array([None]), tmp_path / "x")
    loop = []
    loop.append(loop)
    with pytest.raises(ValueError, match="refers to itself"):
        minitorch.save(loop, tmp_path / "x")
    assert os.listdir(tmp_path) == []


def test_map_location_and_file_objects(tmp_path):
    path = tmp_path / "c.pt"
    minitorch.save([1, 2], str(path))
    assert minitorch.load(path, map_location="cpu") == [1, 2]
    assert minitorch.load(path, map_location=minitorch.device("cpu"), weights_only=True) == [1, 2]
    with pytest.raises(RuntimeError, match="map_location"):
        minitorch.load(path, map_location="cuda:0")
    with open(path, "rb") as fh:
        assert minitorch.load(fh) == [1, 2]

    class Stream(io.RawIOBase):
        def __init__(self, data):
            self.data = io.BytesIO(data)

        def readable(self):
            return True

        def seekable(self):
            return False

        def readinto(self, b):
            chunk = self.data.read(len(b))
            b[: len(chunk)] = chunk
            return len(chunk)

    assert minitorch.load(io.BufferedReader(Stream(path.read_bytes()))) == [1, 2]
