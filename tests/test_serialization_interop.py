"""Files that move between minitorch and PyTorch: torch.save <-> minitorch.load, weights-only rules, safetensors."""
import io
import os
import pickle
import struct
import warnings
import zipfile
from collections import OrderedDict

import numpy as np
import pytest
import torch

import minitorch
from minitorch import serialization
from tests.parity import TORCH_DTYPES

nn = minitorch.nn
safetensors = pytest.importorskip("safetensors")
import safetensors.numpy  # noqa: E402
import safetensors.torch  # noqa: E402

DTYPES = list(TORCH_DTYPES)


def sample(name, shape=(2, 3)):
    """The same values as a numpy array (for minitorch) and a torch tensor."""
    rng = np.random.default_rng(len(name))
    arr = (rng.standard_normal(shape) * 50).astype(np.dtype(name)) if name != "bool" else rng.random(shape) > 0.5
    return arr, torch.from_numpy(arr.copy())


def same(mt, t):
    assert isinstance(mt, minitorch.Tensor), type(mt)
    assert str(mt.dtype).split(".")[-1] == str(t.dtype).split(".")[-1] and tuple(mt.shape) == tuple(t.shape)
    np.testing.assert_array_equal(mt.detach().numpy(), t.detach().numpy())


def saved(obj, fn=torch.save, **kw):
    buf = io.BytesIO()
    fn(obj, buf, **kw)
    buf.seek(0)
    return buf


# ------------------------------------------------------------------ torch.save -> minitorch.load
@pytest.mark.parametrize("zip_format", [True, False], ids=["zip", "legacy"])
@pytest.mark.parametrize("dtype", DTYPES)
def test_torch_save_of_every_dtype_loads(dtype, zip_format):
    arr, t = sample(dtype, (3, 4))
    obj = {"t": t, "view": t[1:, ::2], "col": t.t()[1], "empty": t[:0], "scalar": t[0, 0].clone()}
    if t.is_floating_point():
        obj["p"] = torch.nn.Parameter(t.clone())
        obj["g"] = t.clone().requires_grad_()
    data = saved(obj, _use_new_zipfile_serialization=zip_format).getvalue()
    trusted = minitorch.load(io.BytesIO(data), weights_only=False)  # the ordinary unpickler maps the same names
    out = minitorch.load(io.BytesIO(data))
    for k, v in obj.items():
        same(out[k], v)
        same(trusted[k], v)
        assert out[k].requires_grad == trusted[k].requires_grad == v.requires_grad
    assert isinstance(out.get("p", nn.Parameter(minitorch.ones(1))), nn.Parameter)
    out["t"][2, 2] = 1 if dtype != "bool" else True  # views share memory, as they did in torch
    assert out["view"][1, 1].item() == out["t"][2, 2].item() and out["col"][2].item() == out["t"][2, 1].item()


def test_torch_state_dicts_and_containers_load(tmp_path):
    lin = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.BatchNorm1d(4))
    opt = torch.optim.Adam(lin.parameters())
    lin(torch.randn(5, 3)).sum().backward()
    opt.step()
    obj = {"model": lin.state_dict(), "opt": opt.state_dict(), "epoch": 3, "tuple": (1.5, "s", None, True),
           "bytes": b"\x00\xff", "set": {1, 2}, "counter": __import__("collections").Counter("aab"),
           "size": torch.Size([2, 3]), "dtype": torch.float64, "complex": 1 + 2j, "bytearray": bytearray(b"ab")}
    torch.save(obj, tmp_path / "ckpt.pt")
    out = minitorch.load(tmp_path / "ckpt.pt")
    assert type(out["model"]) is OrderedDict and list(out["model"]) == list(lin.state_dict())
    for k, v in lin.state_dict().items():
        same(out["model"][k], v)
    assert out["opt"]["param_groups"] == opt.state_dict()["param_groups"]
    same(out["opt"]["state"][0]["exp_avg"], opt.state_dict()["state"][0]["exp_avg"])
    for k in ("epoch", "tuple", "bytes", "set", "counter", "complex", "bytearray"):
        assert out[k] == obj[k] and type(out[k]) is type(obj[k])
    assert out["size"] == (2, 3) and type(out["size"]) is minitorch.Size and out["dtype"] is minitorch.float64
    m = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4))
    m.load_state_dict(out["model"])
    x = np.random.default_rng(0).standard_normal((5, 3)).astype(np.float32)
    lin.eval(), m.eval()
    np.testing.assert_allclose(m(minitorch.tensor(x)).detach().numpy(), lin(torch.tensor(x)).detach().numpy(),
                               rtol=1e-6, atol=1e-6)


# ------------------------------------------------------------------ minitorch.save(format="torch") -> torch.load
@pytest.mark.parametrize("dtype", DTYPES)
def test_every_dtype_saved_in_torch_format_loads_in_torch(dtype):
    arr, t = sample(dtype, (3, 4))
    x = minitorch.tensor(arr)
    obj = OrderedDict(t=x, view=x[1:, ::2], col=x.t()[1], empty=x[:0], nested=[(x, {"k": x[0]})])
    if x.is_floating_point():
        obj["p"] = nn.Parameter(x.clone())
        obj["g"] = x.clone().requires_grad_()
    back = torch.load(saved(obj, minitorch.save, format="torch"), weights_only=True)
    assert type(back) is OrderedDict and list(back) == list(obj)
    for k in ("t", "view", "col", "empty"):
        same(obj[k], back[k])
    same(obj["nested"][0][1]["k"], back["nested"][0][1]["k"])
    if x.is_floating_point():
        assert type(back["p"]) is torch.nn.Parameter and back["p"].requires_grad and back["g"].requires_grad
    # one storage for a tensor and its views, as torch.save writes it
    assert back["view"].untyped_storage().data_ptr() == back["t"].untyped_storage().data_ptr()
    assert back["nested"][0][0] is back["t"]
    assert back["view"].stride() == tuple(s // arr.itemsize for s in x[1:, ::2].numpy().strides)


def test_torch_format_files_hold_torch_layout_and_other_objects(tmp_path):
    obj = {"s": {1, 2}, "b": b"xy", "f": 0.1, "i": 2**70, "none": None, "size": minitorch.Size([2]),
           "dtype": minitorch.int16, "str": "héllo", "dev": minitorch.device("cpu")}
    minitorch.save(obj, tmp_path / "o.pt", format="torch")
    back = torch.load(tmp_path / "o.pt", weights_only=True)
    assert back["size"] == torch.Size([2]) and back["dtype"] is torch.int16 and back["dev"] == torch.device("cpu")
    assert {k: back[k] for k in ("s", "b", "f", "i", "none", "str")} == {k: obj[k] for k in ("s", "b", "f", "i",
                                                                                             "none", "str")}
    names = zipfile.ZipFile(tmp_path / "o.pt").namelist()
    assert names[0] == "archive/data.pkl" and "archive/byteorder" in names and "archive/version" in names
    x = minitorch.arange(10, dtype=minitorch.float64)
    minitorch.save({"x": x}, tmp_path / "a.pt", format="torch")
    with zipfile.ZipFile(tmp_path / "a.pt") as zf:
        info = zf.getinfo("archive/data/0")
        raw = (tmp_path / "a.pt").read_bytes()
        name_len, extra_len = struct.unpack("<HH", raw[info.header_offset + 26:info.header_offset + 30])
        assert (info.header_offset + 30 + name_len + extra_len) % 64 == 0  # storages are aligned for mmap
    t = torch.load(tmp_path / "a.pt", mmap=True, weights_only=True)
    same(x, t["x"])
    assert minitorch.load(tmp_path / "a.pt")["x"].tolist() == x.tolist()


# ------------------------------------------------------------------ whole modules, weights_only
def test_whole_module_is_refused_by_default_and_loads_with_weights_only_false(tmp_path):
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
    minitorch.save(model, tmp_path / "model.pt")
    expected = (r"(?s)Weights only load failed.*Re-running `minitorch.load` with `weights_only` set to `False` will "
                r"likely succeed, but it can result in arbitrary code execution. Do it only if you got the file "
                r"from a trusted source.*Unsupported global: GLOBAL minitorch.nn.modules.container.Sequential was "
                r"not an allowed global by default")
    with pytest.raises(pickle.UnpicklingError, match=expected):
        minitorch.load(tmp_path / "model.pt")
    with pytest.raises(pickle.UnpicklingError, match=expected):
        minitorch.load(tmp_path / "model.pt", weights_only=True)
    loaded = minitorch.load(tmp_path / "model.pt", weights_only=False)
    assert type(loaded) is nn.Sequential and isinstance(loaded[0].weight, nn.Parameter)
    x = minitorch.randn(5, 3)
    np.testing.assert_array_equal(loaded(x).detach().numpy(), model(x).detach().numpy())
    # torch behaves the same way on its own whole modules
    torch.save(torch.nn.Sequential(torch.nn.Linear(3, 4)), tmp_path / "torch_model.pt")
    with pytest.raises(pickle.UnpicklingError, match=r"(?s)Weights only load failed.*Re-running `torch.load` with "
                       r"`weights_only` set to `False`.*Unsupported global: GLOBAL torch.nn.modules.container"):
        torch.load(tmp_path / "torch_model.pt")
    with pytest.raises(RuntimeError, match="needs torch.nn.modules.container.Sequential from PyTorch"):
        minitorch.load(tmp_path / "torch_model.pt", weights_only=False)


def test_optimizer_objects_pickle_and_state_dicts_do_not(tmp_path):
    model = nn.Linear(2, 2)
    opt = minitorch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    model(minitorch.randn(3, 2)).sum().backward()
    opt.step()
    minitorch.save(opt.state_dict(), tmp_path / "sd.pt")
    assert "__minitorch_index__.npy" in zipfile.ZipFile(tmp_path / "sd.pt").namelist()
    minitorch.save({"model": model, "opt": opt}, tmp_path / "all.pt")
    with pytest.raises(pickle.UnpicklingError, match="GLOBAL minitorch"):
        minitorch.load(tmp_path / "all.pt")
    out = minitorch.load(tmp_path / "all.pt", weights_only=False)
    assert out["opt"].param_groups[0]["params"][0] is out["model"].weight
    assert out["opt"].state_dict()["param_groups"] == opt.state_dict()["param_groups"]


class Point:
    def __init__(self, x, y):
        self.x, self.y = x, y


def test_safe_globals_extend_the_allowlist_as_torch_does(tmp_path):
    torch.save({"p": Point(1, torch.ones(2))}, tmp_path / "p.pt")
    for lib in (torch, minitorch):
        with pytest.raises(pickle.UnpicklingError, match=f"GLOBAL {__name__}.Point was not an allowed global"):
            lib.load(tmp_path / "p.pt")
        before = lib.serialization.get_safe_globals()
        with lib.serialization.safe_globals([Point]):
            assert Point in lib.serialization.get_safe_globals() and Point not in before
            assert lib.load(tmp_path / "p.pt")["p"].x == 1
        assert Point not in lib.serialization.get_safe_globals()
        lib.serialization.add_safe_globals([(Point, f"{__name__}.Point")])
        try:
            out = lib.load(tmp_path / "p.pt")
            assert out["p"].y.tolist() == [1.0, 1.0] and type(out["p"]) is Point
        finally:
            lib.serialization.clear_safe_globals()
        assert lib.serialization.get_safe_globals() == []
        for item in before:
            lib.serialization.add_safe_globals([item])
    minitorch.serialization.add_safe_globals([os.system])  # a blocked module stays blocked
    try:
        evil = pickle.dumps(os.system, protocol=2)
        with pytest.raises(pickle.UnpicklingError, match="GLOBAL posix.system whose module posix is blocked"):
            minitorch.load(zipped(evil))
    finally:
        minitorch.serialization.clear_safe_globals()


def test_load_arguments_follow_torch():
    buf = saved({"w": torch.ones(2)})
    with pytest.raises(RuntimeError, match="Can not safely load weights when explicit pickle_module is specified"):
        minitorch.load(buf, pickle_module=pickle)
    with pytest.warns(UserWarning, match="pickle_load_args only works if `weights_only=False`"):
        minitorch.load(saved({"w": torch.ones(2)}), encoding="latin1")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = minitorch.load(saved({"w": torch.ones(2)}), pickle_module=pickle, weights_only=False, encoding="latin1")
    assert out["w"].tolist() == [1.0, 1.0]
    with pytest.raises(ValueError, match="f must be a file path in order to use the mmap argument"):
        minitorch.load(saved({"w": torch.ones(2)}), mmap=True)
    with pytest.raises(RuntimeError, match="mmap can only be used with files saved with"):
        minitorch.load(saved({"w": torch.ones(2)}, _use_new_zipfile_serialization=False), mmap=True)


def test_map_location_and_device_tags():
    data = saved({"w": torch.arange(3.0)}).getvalue()
    cuda = retagged(data, "cuda:0")
    with pytest.raises(RuntimeError, match="Attempting to deserialize object on a CUDA device"):
        minitorch.load(io.BytesIO(cuda))
    for where in ("cpu", minitorch.device("cpu"), {"cuda:0": "cpu"}, lambda storage, loc: storage):
        assert minitorch.load(io.BytesIO(cuda), map_location=where)["w"].tolist() == [0, 1, 2]
    with pytest.raises(RuntimeError, match="Attempting to deserialize object on a CUDA device"):
        minitorch.load(io.BytesIO(cuda), map_location={"cuda:1": "cpu"})
    with pytest.raises(RuntimeError, match="map_location='cuda:0' is not available"):
        minitorch.load(io.BytesIO(data), map_location="cuda:0")


def retagged(data, location):
    """A torch zip whose storages claim ``location`` instead of 'cpu'."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    name = next(n for n in members if n.endswith("/data.pkl"))
    tag = location.encode()
    members[name] = members[name].replace(b"X\x03\x00\x00\x00cpu", b"X" + struct.pack("<I", len(tag)) + tag)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for n, v in members.items():
            zf.writestr(n, v)
    return out.getvalue()


# ------------------------------------------------------------------ crafted files must not run
def zipped(pkl, storages=None):
    """A torch.save-layout zip whose data.pkl is ``pkl``."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("archive/data.pkl", pkl)
        zf.writestr("archive/byteorder", "little")
        for key, raw in (storages or {}).items():
            zf.writestr(f"archive/data/{key}", raw)
        zf.writestr("archive/version", "3\n")
    out.seek(0)
    return out


def evil_pickles(marker):
    class Reduce:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    cmd = f"open({str(marker)!r}, 'w')".encode()
    touch = f"touch {marker}".encode()
    return {
        "os.system via __reduce__": pickle.dumps({"w": Reduce()}, protocol=2),
        "GLOBAL builtins.eval": b"\x80\x02cbuiltins\neval\nX" + struct.pack("<I", len(cmd)) + cmd + b"\x85R.",
        "STACK_GLOBAL builtins.exec": b"\x80\x04\x8c\x08builtins\x8c\x04exec\x93X" + struct.pack("<I", len(cmd)) + cmd
                                      + b"\x85R.",
        "fake storage type": b"\x80\x02ctorch._utils\n_rebuild_tensor_v2\n((X\x07\x00\x00\x00storage"
                             b"ccollections\nOrderedDict\nX\x01\x00\x00\x000X\x03\x00\x00\x00cpuK\x02tQK\x00K\x02"
                             b"\x85K\x01\x85\x89)tR.",
        "reduce on a non-callable global": b"\x80\x02ctorch\nfloat32\n)R.",
        "build an object's attributes": b"\x80\x02ctorch\nSize\n)R}X\x05\x00\x00\x00_dataK\x01sb.",
        "append to a non-list": b"\x80\x02ccollections\nOrderedDict\n)RK\x01a.",
        "INST opcode": b"\x80\x02(X" + struct.pack("<I", len(touch)) + touch + b"ios\nsystem\n.",
        "persistent id that is no storage": b"\x80\x02X\x06\x00\x00\x00moduleQ.",
    }


@pytest.mark.filterwarnings("ignore:Detected pickle protocol 4")
@pytest.mark.parametrize("case", list(evil_pickles("m")))
@pytest.mark.parametrize("wrapper", ["zip", "plain"])
def test_crafted_pickles_never_run_and_are_refused_like_torch(tmp_path, case, wrapper):
    marker = tmp_path / "pwned"
    pkl = evil_pickles(marker)[case]
    with pytest.raises(Exception):  # torch refuses each one too (some with errors other than UnpicklingError)
        torch.load(zipped(pkl) if wrapper == "zip" else io.BytesIO(pkl), weights_only=True)
    assert not marker.exists()
    with pytest.raises(pickle.UnpicklingError, match="Weights only load failed"):
        minitorch.load(zipped(pkl) if wrapper == "zip" else io.BytesIO(pkl))
    assert not marker.exists()


def test_rebuilt_tensors_stay_inside_their_storage():
    def rebuild(size, stride, offset=0, numel=4, storage="FloatStorage", key="0", raw=bytes(16)):
        ints = lambda t: b"(" + b"".join(b"J" + struct.pack("<i", v) for v in t) + b"t"  # noqa: E731
        pkl = (b"\x80\x02ctorch._utils\n_rebuild_tensor_v2\n((X\x07\x00\x00\x00storagectorch\n" + storage.encode()
               + b"\nX" + struct.pack("<I", len(key)) + key.encode() + b"X\x03\x00\x00\x00cpuJ"
               + struct.pack("<i", numel) + b"tQJ" + struct.pack("<i", offset) + ints(size) + ints(stride)
               + b"\x89ccollections\nOrderedDict\n)RtR.")
        return minitorch.load(zipped(pkl, {"0": raw}))

    assert rebuild((2, 2), (2, 1)).shape == (2, 2)
    assert rebuild((2, 2), (1, 2), offset=0).shape == (2, 2)
    for size, stride, offset, match in [((5,), (1,), 0, "reaches past the end"), ((2,), (3,), 1, "reaches past"),
                                        ((2,), (-1,), 0, "non-negative"), ((2, 2), (1,), 0, "storage offset")]:
        with pytest.raises(pickle.UnpicklingError, match=match):
            rebuild(size, stride, offset)
    with pytest.raises(RuntimeError, match="holds 16 bytes, not the 32 bytes of 8 float32 elements"):
        rebuild((2,), (1,), numel=8)
    with pytest.raises(RuntimeError, match="does not hold"):
        rebuild((2,), (1,), key="7")
    with pytest.raises(RuntimeError, match="dtype torch.bfloat16.*which minitorch does not support"):
        rebuild((2,), (1,), storage="BFloat16Storage", raw=bytes(8))


def test_torch_dtypes_minitorch_lacks_are_refused_clearly():
    for t in (torch.ones(2, dtype=torch.bfloat16), torch.ones(2, dtype=torch.complex64),
              torch.ones(2, dtype=torch.uint16)):
        with pytest.raises(RuntimeError, match=f"{t.dtype}.*which minitorch does not support"):
            minitorch.load(saved({"t": t}))


def test_damaged_torch_files_give_a_clear_error():
    data = saved({"w": torch.arange(100.0), "v": torch.ones(3)}).getvalue()
    for cut in (len(data) // 3, len(data) - 30, 40):
        with pytest.raises(RuntimeError, match="minitorch.load: the file object"):
            minitorch.load(io.BytesIO(data[:cut]))
    with pytest.raises(RuntimeError, match="torch.save stores members as they are"):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("archive/version", "3\n", compress_type=zipfile.ZIP_STORED)
            zf.writestr("archive/data.pkl", pickle.dumps(1, protocol=2))
        minitorch.load(io.BytesIO(buf.getvalue()))
    legacy = saved({"w": torch.arange(100.0)}, _use_new_zipfile_serialization=False).getvalue()
    with pytest.raises(RuntimeError, match="minitorch.load: the file object"):
        minitorch.load(io.BytesIO(legacy[:-40]))


# ------------------------------------------------------------------ safetensors
@pytest.mark.parametrize("dtype", DTYPES)
def test_safetensors_round_trip_every_dtype_with_the_real_package(tmp_path, dtype):
    arr, t = sample(dtype, (3, 4))
    meta = {"format": "pt", "note": "✓"}
    minitorch.save_file({"a": minitorch.tensor(arr), "b": minitorch.tensor(arr[:1].copy()),
                         "e": minitorch.tensor(arr[:0])}, tmp_path / "m.safetensors", metadata=meta)
    np_back = safetensors.numpy.load_file(tmp_path / "m.safetensors")
    torch_back = safetensors.torch.load_file(tmp_path / "m.safetensors")
    np.testing.assert_array_equal(np_back["a"], arr)
    same(minitorch.tensor(arr), torch_back["a"])
    assert np_back["e"].shape == (0, 4) and torch_back["b"].shape == (1, 4)
    with safetensors.safe_open(tmp_path / "m.safetensors", "np") as f:
        assert f.metadata() == meta
    assert serialization.safetensors.metadata_of(tmp_path / "m.safetensors") == meta
    safetensors.torch.save_file({"x": t, "y": t[0].clone()}, tmp_path / "t.safetensors", metadata=meta)
    safetensors.numpy.save_file({"z": arr}, tmp_path / "n.safetensors")
    out = minitorch.load_file(tmp_path / "t.safetensors")
    same(out["x"], t)
    same(out["y"], t[0])
    np.testing.assert_array_equal(minitorch.load_file(tmp_path / "n.safetensors")["z"].numpy(), arr)
    assert minitorch.load(tmp_path / "t.safetensors")["x"].tolist() == t.tolist()
    raw = minitorch.safetensors.save({"x": minitorch.tensor(arr)})
    assert safetensors.torch.load(raw)["x"].tolist() == t.tolist()
    assert minitorch.safetensors.load(safetensors.torch.save({"x": t}))["x"].tolist() == arr.tolist()


def header_file(tmp_path, header, data=b"", length=None):
    raw = header if isinstance(header, bytes) else __import__("json").dumps(header).encode()
    path = tmp_path / "bad.safetensors"
    path.write_bytes(struct.pack("<Q", len(raw) if length is None else length) + raw + data)
    return path


@pytest.mark.parametrize("header, data, length, match", [
    ({}, b"", 10**12, "HeaderTooLarge"),
    ({}, b"", 1000, "InvalidHeaderLength"),
    (b"[1, 2]", b"", None, "InvalidHeaderStart"),
    (b"{not json", b"", None, "InvalidHeaderDeserialization"),
    ({"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},
      "b": {"dtype": "F32", "shape": [2], "data_offsets": [4, 12]}}, bytes(12), None, "InvalidOffset"),
    ({"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}, bytes(4), None, "MetadataIncompleteBuffer"),
    ({"a": {"dtype": "F32", "shape": [4], "data_offsets": [0, 8]}}, bytes(8), None, "TensorInvalidInfo"),
    ({"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}, bytes(16), None, "MetadataIncompleteBuffer"),
    ({"a": {"dtype": "X9", "shape": [2], "data_offsets": [0, 8]}}, bytes(8), None, "unknown dtype 'X9'"),
    ({"a": {"dtype": "F32", "shape": [-2], "data_offsets": [0, 8]}}, bytes(8), None, "has shape"),
    ({"__metadata__": {"k": 1}}, b"", None, "__metadata__ must map strings to strings"),
])
def test_broken_safetensors_files_are_refused_like_the_package(tmp_path, header, data, length, match):
    path = header_file(tmp_path, header, data, length)
    with pytest.raises(Exception):
        safetensors.numpy.load_file(path)
    with pytest.raises(serialization.safetensors.SafetensorError, match=match):
        minitorch.load_file(path)


def test_safetensors_refuses_what_the_package_refuses(tmp_path):
    path = header_file(tmp_path, {"a": {"dtype": "BF16", "shape": [2], "data_offsets": [0, 4]}}, bytes(4))
    assert safetensors.torch.load_file(path)["a"].dtype == torch.bfloat16
    with pytest.raises(serialization.safetensors.SafetensorError, match="dtype BF16, which minitorch does not support"):
        minitorch.load_file(path)
    x, t = minitorch.arange(6.0).reshape(2, 3), torch.arange(6.0).reshape(2, 3)
    with pytest.raises(ValueError, match="non contiguous tensor"):
        safetensors.torch.save_file({"a": t.t()}, tmp_path / "x.safetensors")
    with pytest.raises(ValueError, match="You are trying to save a non contiguous tensor: `a`"):
        minitorch.save_file({"a": x.t()}, tmp_path / "x.safetensors")
    with pytest.raises(RuntimeError, match="Some tensors share memory"):
        safetensors.torch.save_file({"a": t, "b": t[0]}, tmp_path / "x.safetensors")
    with pytest.raises(RuntimeError, match=r"Some tensors share memory.*\{'a', 'b'\}|\{'b', 'a'\}"):
        minitorch.save_file({"a": x, "b": x[0]}, tmp_path / "x.safetensors")
    with pytest.raises(TypeError, match="metadata must be a dict of str to str"):
        minitorch.save_file({"a": x}, tmp_path / "x.safetensors", metadata={"k": 1})


def test_views_survive_a_trip_through_minitorch_and_back():
    x = torch.arange(24.0).reshape(4, 6)
    obj = {"x": x, "v": x[1:, 2:5].t(), "row": x[2]}
    back = torch.load(saved(minitorch.load(saved(obj)), minitorch.save, format="torch"), weights_only=True)
    for k, v in obj.items():
        assert torch.equal(back[k], v) and back[k].stride() == v.stride()
        assert back[k].storage_offset() == v.storage_offset()
        assert back[k].untyped_storage().data_ptr() == back["x"].untyped_storage().data_ptr()


def test_mmap_maps_storages_copy_on_write(tmp_path):
    t = torch.arange(1000.0)
    torch.save({"t": t, "v": t[10:20]}, tmp_path / "big.pt")
    before = (tmp_path / "big.pt").read_bytes()
    out = minitorch.load(tmp_path / "big.pt", mmap=True)
    assert isinstance(out["t"]._data.base, np.memmap) and out["v"]._data.base is out["t"]._data.base
    same(out["t"], t)
    out["t"][15] = -1.0
    assert out["v"][5].item() == -1.0 and (tmp_path / "big.pt").read_bytes() == before
    minitorch.save({"n": minitorch.ones(2)}, tmp_path / "n.pt")
    with pytest.raises(RuntimeError, match="mmap=True needs a torch-format file"):
        minitorch.load(tmp_path / "n.pt", mmap=True)


def test_big_endian_files_are_byteswapped():
    data = saved({"w": torch.arange(4, dtype=torch.int32), "f": torch.tensor([1.5, -2.0])}).getvalue()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    for name in members:
        if name.endswith("/byteorder"):
            members[name] = b"big"
        elif "/data/" in name:
            members[name] = np.frombuffer(members[name], "<i4" if name.endswith("0") else "<f4").byteswap().tobytes()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for n, v in members.items():
            zf.writestr(n, v)
    expect = torch.load(io.BytesIO(buf.getvalue()), weights_only=True)
    out = minitorch.load(io.BytesIO(buf.getvalue()))
    same(out["w"], expect["w"])
    same(out["f"], expect["f"])
    assert out["w"].tolist() == [0, 1, 2, 3]


def test_refusal_names_the_global_as_torch_does():
    pkl = b"\x80\x02cbuiltins\neval\nX\x01\x00\x00\x001\x85R."
    with pytest.raises(pickle.UnpicklingError) as theirs:
        torch.load(io.BytesIO(pkl), weights_only=True)
    with pytest.raises(pickle.UnpicklingError) as ours:
        minitorch.load(io.BytesIO(pkl))
    line = next(s for s in str(theirs.value).splitlines() if "Unsupported global" in s).strip()
    assert line.replace("torch.serialization", "minitorch.serialization") in str(ours.value)
    assert "GLOBAL eval was not an allowed global by default" in line


@pytest.mark.parametrize("opcode", [b"\x8e", b"\x96", b"\x8d"], ids=["BINBYTES8", "BYTEARRAY8", "BINUNICODE8"])
@pytest.mark.parametrize("wrapper", ["zip", "legacy"])
def test_huge_declared_lengths_allocate_nothing(tmp_path, opcode, wrapper):
    import tracemalloc
    pkl = b"\x80\x04" + opcode + struct.pack("<Q", 2**40) + b"abc"
    f = tmp_path / "huge.pt"
    f.write_bytes(zipped(pkl).getvalue() if wrapper == "zip" else pkl)
    tracemalloc.start()
    try:
        with pytest.raises(pickle.UnpicklingError, match="Weights only load failed"):
            minitorch.load(f)
        assert tracemalloc.get_traced_memory()[1] < 10 * 2**20
    finally:
        tracemalloc.stop()


def test_tensor_attributes_and_unsafe_global_listing_follow_torch(tmp_path):
    t = torch.ones(2)
    t.foo = 3
    torch.save({"t": t}, tmp_path / "attr.pt")
    assert minitorch.load(tmp_path / "attr.pt")["t"].foo == torch.load(tmp_path / "attr.pt")["t"].foo == 3
    x = minitorch.ones(2)
    x.foo = 3
    assert torch.load(saved({"x": x}, minitorch.save, format="torch"))["x"].foo == 3
    torch.save(torch.nn.Linear(2, 2), tmp_path / "lin.pt")
    minitorch.save(nn.Linear(2, 2), tmp_path / "mlin.pt")
    for f in ("lin.pt", "mlin.pt", "attr.pt"):
        assert sorted(serialization.get_unsafe_globals_in_checkpoint(tmp_path / f)) == \
            sorted(torch.serialization.get_unsafe_globals_in_checkpoint(tmp_path / f))
    unsafe = serialization.get_unsafe_globals_in_checkpoint(tmp_path / "mlin.pt")
    assert unsafe == ["minitorch.nn.modules.linear.Linear"]
    with pytest.raises(ValueError, match="Expected input to be a checkpoint returned by torch.save"):
        serialization.get_unsafe_globals_in_checkpoint(io.BytesIO(b"not a zip"))
    shadow = b"\x80\x02ctorch._tensor\n_rebuild_from_type_v2\n(ctorch._utils\n_rebuild_tensor_v2\nctorch\nTensor\n((X" \
        b"\x07\x00\x00\x00storagectorch\nFloatStorage\nX\x01\x00\x00\x000X\x03\x00\x00\x00cpuK\x01tQK\x00K\x01\x85K" \
        b"\x01\x85\x89ccollections\nOrderedDict\n)Rt}X\x05\x00\x00\x00numpyK\x01stR."
    with pytest.raises(pickle.UnpicklingError, match="attributes must be new names"):
        minitorch.load(zipped(shadow, {"0": bytes(4)}))


@pytest.mark.parametrize("zip_format", [True, False], ids=["zip", "legacy"])
def test_every_byte_flip_of_a_torch_file_is_refused_cleanly_or_harmless(zip_format):
    data = saved({"w": torch.arange(6.0).reshape(2, 3), "v": torch.arange(6.0)[1:], "i": [1, (2, "x")]},
                 _use_new_zipfile_serialization=zip_format).getvalue()
    for i in range(len(data)):
        damaged = bytearray(data)
        damaged[i] ^= 0xFF
        try:
            out = minitorch.load(io.BytesIO(bytes(damaged)))
        except (RuntimeError, pickle.UnpicklingError):
            continue
        assert isinstance(out, (dict, list, tuple, int, float, str, bytes, minitorch.Tensor, type(None))), type(out)
    for n in range(len(data)):
        with pytest.raises((RuntimeError, pickle.UnpicklingError)):
            minitorch.load(io.BytesIO(data[:n]))
