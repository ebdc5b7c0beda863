"""Real, fast PyTorch training of the examples' recurrent, language and generative models.

The models are the PyTorch twins in ``reference/`` (``reference.rnn.RowClassifier``...), trained on
the examples' own data; what this adds is what PyTorch users do for speed: the best device
(CUDA when present), ``--amp`` (bfloat16 autocast; losses are computed in float32 outside it),
``--compile`` (``torch.compile``), ``channels_last`` and ``cudnn.benchmark`` for the convolutional
models, gradient clipping, and several processes through ``torchrun`` with DistributedDataParallel
and a ``DistributedSampler`` (NCCL on GPUs, gloo on the CPU).

    python -m reference.train lstm --steps 500 --amp --compile
    torchrun --nproc_per_node=2 -m reference.train dcgan --steps 200
    python -m reference.train list
"""
from __future__ import annotations

import argparse
import functools
import json
import os
import time
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader, DistributedSampler, RandomSampler, TensorDataset

from examples import gan, grad_clipping, rnn
from examples.harness.data import flat_images, source_of
from examples.harness.text import ngrams, sentiment, tagging
from reference import autoencoder as autoencoder_twins
from reference import grad_clipping as grad_clipping_twins
from reference import ngram as ngram_twins
from reference import pos_tagger as pos_tagger_twins
from reference import sentiment as sentiment_twins
from reference import vae as vae_twins


@dataclass
class Task:
    """One trainable model: its data, its modules, its loss, and how it is optimised.

    ``data(args)`` gives (inputs tuple, target) numpy arrays; ``build(inputs, args)`` the named modules;
    ``loss(output, target)`` a float32 scalar; ``step``, when set, replaces the plain step (GANs).
    """

    data: Callable[[Any], tuple]
    build: Callable[[tuple, Any], dict]
    loss: Callable[[Any, Any], Any] | None = None
    step: Callable | None = None
    lr: float = 1e-3
    betas: tuple = (0.9, 0.999)
    conv: bool = False
    notes: str = ""


def _sequences(args: Any) -> tuple:
    d = rnn.sequences(source_of(args, "digits"), args.data_dir)
    return (d["x"],), d["y"]


def _row_reader(kind: str, inputs: tuple) -> dict:
    _, model, shape = rnn.classifier(kind, inputs[0].shape[-1])
    return {"model": model(*shape)}


def _tagging(args: Any) -> tuple:
    train = tagging(seed=args.seed)["train"]
    return (train["words"], train["chars"], train["last"]), train["tags"]


def _tagger(inputs: tuple, args: Any) -> dict:
    d = tagging(seed=args.seed)
    return {"model": pos_tagger_twins.LSTMTagger(len(d["words"]), len(d["chars"]), len(d["tags"]))}


def _sentiment(args: Any) -> tuple:
    x, y, _ = sentiment(2500, args.seed)
    return (x[:2000],), y[:2000]


def _images(args: Any) -> tuple:
    x = gan.images(source_of(args, "digits"), args.data_dir)
    return (x,), np.zeros(len(x), np.float32)


def _flat(args: Any) -> tuple:
    x = flat_images(source_of(args, "digits"), args.data_dir)["x"]
    return (x,), x


def _memory(args: Any) -> tuple:
    x, y = next(grad_clipping.memory_batches(4096, args.seed))
    return (x,), y


def _tagger_loss(out: Any, y: Any) -> Any:
    return F.nll_loss(out.reshape(-1, out.shape[-1]), y.reshape(-1), ignore_index=-100)


def _vae_loss(out: Any, y: Any) -> Any:
    recon, mu, logvar = out
    return vae_twins.vae_loss(recon, y, mu, logvar)


def _ngrams(args: Any) -> tuple:
    d = ngrams(2)
    return (d["x"],), d["y"]


def _ngram_model(inputs: tuple, args: Any) -> dict:
    return {"model": ngram_twins.NGramLanguageModeler(len(ngrams(2)["vocab"]), 16, 2)}


def gan_step(latent: int) -> Callable:
    """A GAN step for noise of size ``latent``: one discriminator step (real -> 1, generated -> 0),
    then one generator step (generated -> 1), both with BCE computed in float32."""
    return lambda mods, opts, inputs, target, autocast, args: _gan_step(mods, opts, inputs[0], autocast, latent)


def _gan_step(mods: dict, opts: dict, real: Any, autocast: Callable, latent: int) -> Any:
    generator, discriminator = mods["generator"], mods["discriminator"]
    n = real.shape[0]
    z = torch.randn(n, latent, device=real.device)
    valid = torch.ones(n, 1, device=real.device)
    fake = torch.zeros(n, 1, device=real.device)
    with autocast():
        generated = generator(z)
    opts["discriminator"].zero_grad(set_to_none=True)
    with autocast():
        p_real, p_fake = discriminator(real), discriminator(generated.detach())
    d_loss = (F.binary_cross_entropy(p_real.float(), valid) + F.binary_cross_entropy(p_fake.float(), fake)) / 2
    d_loss.backward()
    opts["discriminator"].step()
    opts["generator"].zero_grad(set_to_none=True)
    with autocast():
        p = discriminator(generated)
    g_loss = F.binary_cross_entropy(p.float(), valid)
    g_loss.backward()
    opts["generator"].step()
    return g_loss


def _gan(kind: str) -> Callable[[tuple, Any], dict]:
    def build(inputs: tuple, args: Any) -> dict:
        (_, generator, g_args), (_, discriminator, d_args) = gan.pair(kind, inputs[0].shape[1:])
        return {"generator": generator(*g_args), "discriminator": discriminator(*d_args)}

    return build


TASKS = {
    "rnn": Task(_sequences, lambda i, a: _row_reader("rnn", i),
                lambda o, y: F.cross_entropy(o, y), lr=3e-3, notes="RNNModel over image rows"),
    "lstm": Task(_sequences, lambda i, a: _row_reader("lstm", i),
                 lambda o, y: F.cross_entropy(o, y), lr=3e-3, notes="LSTM over image rows"),
    "gru": Task(_sequences, lambda i, a: _row_reader("gru", i),
                lambda o, y: F.cross_entropy(o, y), lr=3e-3, notes="GRU over image rows"),
    "clip": Task(_memory, lambda i, a: {"model": grad_clipping_twins.ExplodingRNN()},
                 lambda o, y: F.mse_loss(o, y), lr=1e-2, notes="exploding ReLU RNN (use --clip-grad-norm)"),
    "ngram": Task(_ngrams, _ngram_model, lambda o, y: F.nll_loss(o, y), lr=3e-3, notes="N-gram language model"),
    "tagger": Task(_tagging, _tagger, _tagger_loss, lr=1e-2, notes="character-aware LSTM POS tagger"),
    "sentiment": Task(_sentiment, lambda i, a: {"model": sentiment_twins.SentimentClassifier(
        int(i[0].max()) + 1)}, lambda o, y: F.cross_entropy(o, y), lr=1e-2, notes="many-to-one LSTM"),
    "gan": Task(_images, _gan("mlp"), step=gan_step(gan.LATENT["mlp"]), lr=2e-4, betas=(0.5, 0.999),
                notes="the tutorial's MLP GAN"),
    "dcgan": Task(_images, _gan("dcgan"), step=gan_step(gan.LATENT["dcgan"]), lr=2e-4, betas=(0.5, 0.999),
                  conv=True, notes="DCGAN with ConvTranspose2d"),
    "ae": Task(_flat, lambda i, a: {"model": autoencoder_twins.AutoEncoder(i[0].shape[1])},
               lambda o, y: F.mse_loss(o[1], y), lr=3e-3, notes="autoencoder"),
    "vae": Task(_flat, lambda i, a: {"model": vae_twins.VAE(i[0].shape[1])}, _vae_loss,
                notes="variational autoencoder"),
}


def pick_device(name: str, local_rank: int = 0) -> torch.device:
    """``auto``: this process's CUDA device if there is one, else Apple's MPS, else the CPU."""
    if name == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda", local_rank % torch.cuda.device_count())
        if getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available():
            return torch.device("mps")
        return torch.device("cpu")
    device = torch.device(name)
    if device.type == "cuda" and device.index is None:
        device = torch.device("cuda", local_rank % max(torch.cuda.device_count(), 1))
    return device


def init_distributed(device: torch.device) -> tuple:
    """(rank, world size): a process group when started by torchrun (NCCL on CUDA, gloo otherwise)."""
    world = int(os.environ.get("WORLD_SIZE", "1"))
    if world == 1:
        return 0, 1
    dist.init_process_group("nccl" if device.type == "cuda" else "gloo")
    return dist.get_rank(), dist.get_world_size()


def loader(inputs: tuple, target: np.ndarray, args: Any, rank: int, world: int, device: torch.device) -> tuple:
    """A DataLoader over the arrays: each process a different shard (``DistributedSampler``) when
    distributed, else reshuffled each epoch; full batches only."""
    tensors = [torch.from_numpy(np.ascontiguousarray(a)) for a in (*inputs, target)]
    dataset = TensorDataset(*tensors)
    if world > 1:
        sampler = DistributedSampler(dataset, num_replicas=world, rank=rank, shuffle=True, seed=args.seed,
                                     drop_last=True)
    else:
        sampler = RandomSampler(dataset, generator=torch.Generator().manual_seed(args.seed))
    return DataLoader(dataset, batch_size=args.batch_size, sampler=sampler, drop_last=True,
                      pin_memory=device.type == "cuda"), sampler


def batches(data: DataLoader, sampler: Any) -> Any:
    """Endless batches; a distributed sampler is told each new epoch so shards reshuffle."""
    epoch = 0
    while True:
        if isinstance(sampler, DistributedSampler):
            sampler.set_epoch(epoch)
        yield from data
        epoch += 1


def prepare(mods: dict, task: Task, args: Any, device: torch.device, world: int) -> dict:
    """Modules on the device, ``channels_last`` for convolutions, wrapped in DDP and compiled as asked."""
    out = {}
    for name, module in mods.items():
        module = module.to(device)
        if task.conv and args.channels_last:
            module = module.to(memory_format=torch.channels_last)
        if world > 1:
            module = DistributedDataParallel(module, device_ids=[device.index] if device.type == "cuda" else None)
        if args.compile:
            module = torch.compile(module)
        out[name] = module
    return out


def unwrap(module: Any) -> torch.nn.Module:
    """The plain module under ``torch.compile`` and DDP wrappers."""
    module = getattr(module, "_orig_mod", module)
    return getattr(module, "module", module)


def to_device(t: torch.Tensor, device: torch.device, conv: bool, channels_last: bool) -> torch.Tensor:
    """A batch tensor on ``device`` (non-blocking), 4-D image batches in ``channels_last`` if asked."""
    t = t.to(device, non_blocking=True)
    if conv and channels_last and t.dim() == 4:
        t = t.contiguous(memory_format=torch.channels_last)
    return t


def check_amp(mods: dict, device: torch.device) -> None:
    """Stop with a clear message where bfloat16 autocast cannot run an LSTM (oneDNN on some CPUs)."""
    if device.type != "cpu" or not any(isinstance(m, torch.nn.LSTM) for mod in mods.values() for m in mod.modules()):
        return
    try:
        with torch.autocast("cpu", dtype=torch.bfloat16):
            torch.nn.LSTM(2, 2)(torch.zeros(1, 1, 2))
    except RuntimeError as e:
        raise SystemExit(f"--amp: this CPU's oneDNN has no bfloat16 LSTM ({str(e).splitlines()[0][:80]}...); "
                         "run on CUDA or without --amp") from None


def plain_step(task: Task, mods: dict, opts: dict, inputs: tuple, target: Any, autocast: Callable,
               args: Any) -> Any:
    """zero_grad, forward under autocast, float32 loss, backward, optional clipping, step."""
    model, opt = mods["model"], opts["model"]
    opt.zero_grad(set_to_none=True)
    with autocast():
        out = model(*inputs)
    out = tuple(o.float() for o in out) if isinstance(out, tuple) else out.float()
    loss = task.loss(out, target)
    loss.backward()
    if args.clip_grad_norm:
        torch.nn.utils.clip_grad_norm_(model.parameters(), args.clip_grad_norm)
    opt.step()
    return loss


def train(args: Any) -> dict:
    """Train ``args.task`` for ``args.steps`` steps; returns timings and the final loss (rank 0 prints)."""
    task = TASKS[args.task]
    local_rank = int(os.environ.get("LOCAL_RANK", "0"))
    device = pick_device(args.device, local_rank)
    if device.type == "cuda":
        torch.cuda.set_device(device)
    rank, world = init_distributed(device)
    torch.manual_seed(args.seed)
    if args.threads:
        torch.set_num_threads(args.threads)
    if task.conv and device.type == "cuda":
        torch.backends.cudnn.benchmark = True
    args.channels_last = task.conv and device.type == "cuda" and not args.no_channels_last

    inputs, target = task.data(args)
    data, sampler = loader(inputs, target, args, rank, world, device)
    built = task.build(inputs, args)
    if args.amp:
        check_amp(built, device)
    mods = prepare(built, task, args, device, world)
    opts = {name: torch.optim.Adam(m.parameters(), lr=args.lr or task.lr, betas=task.betas) for name, m in mods.items()}
    autocast = functools.partial(torch.autocast, device.type, dtype=torch.bfloat16, enabled=args.amp)
    step = task.step or (lambda *a: plain_step(task, *a))

    it = batches(data, sampler)
    warmup = args.warmup if args.steps > args.warmup else 0
    losses, t0 = [], time.perf_counter()
    for i in range(args.steps):
        if i == warmup:
            if device.type == "cuda":
                torch.cuda.synchronize(device)
            t0 = time.perf_counter()
        *xs, y = (to_device(t, device, task.conv, args.channels_last) for t in next(it))
        loss = step(mods, opts, tuple(xs), y, autocast, args)
        if rank == 0 and ((i + 1) % args.log_every == 0 or i + 1 == args.steps):
            losses.append((i + 1, float(loss.item())))
            print(f"step {i + 1:>6}  loss {losses[-1][1]:.4f}", flush=True)
    if device.type == "cuda":
        torch.cuda.synchronize(device)
    ms = 1000 * (time.perf_counter() - t0) / (args.steps - warmup)
    result = {"task": args.task, "device": str(device), "amp": args.amp, "compile": args.compile,
              "channels_last": args.channels_last, "world_size": world, "batch_size": args.batch_size,
              "steps": args.steps, "ms_per_step": ms, "samples_per_s": 1000 * args.batch_size * world / ms,
              "final_loss": float(loss.item()), "losses": losses}
    if args.save:
        os.makedirs(args.save, exist_ok=True)
        torch.save({n: unwrap(m).state_dict() for n, m in mods.items()}, os.path.join(args.save, f"rank{rank}.pt"))
    if world > 1:
        dist.barrier()
        dist.destroy_process_group()
    return {**result, "rank": rank}


def parser() -> argparse.ArgumentParser:
    """The command line of ``python -m reference.train``."""
    p = argparse.ArgumentParser(prog="python -m reference.train", description=__doc__.splitlines()[0])
    p.add_argument("task", choices=sorted(TASKS) + ["list"], help="which model to train ('list' shows them)")
    p.add_argument("--steps", type=int, default=200, help="optimizer steps (default: %(default)s)")
    p.add_argument("--batch-size", type=int, default=64, help="batch size per process (default: %(default)s)")
    p.add_argument("--lr", type=float, default=None, help="Adam's learning rate (default: the task's)")
    p.add_argument("--device", default="auto", help="auto (CUDA, else MPS, else CPU), cpu, cuda, cuda:1, ...")
    p.add_argument("--amp", action="store_true", help="bfloat16 autocast for the forward pass")
    p.add_argument("--compile", action="store_true", help="torch.compile every module")
    p.add_argument("--no-channels-last", action="store_true", help="keep NCHW for the convolutional models on CUDA")
    p.add_argument("--clip-grad-norm", type=float, default=None, help="clip the gradient norm to this value")
    p.add_argument("--data", choices=("digits", "mnist1d", "mnist"), default=None, help="image data (default: digits)")
    p.add_argument("--data-dir", default=None, help="a folder holding torchvision's MNIST (MNIST/raw/...)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=None, help="torch's CPU threads per process")
    p.add_argument("--warmup", type=int, default=5, help="steps left out of the timing (compilation, cuDNN autotune)")
    p.add_argument("--log-every", type=int, default=50, help="print the loss every N steps (rank 0)")
    p.add_argument("--save", default=None, help="folder for each rank's final state_dicts (rank<R>.pt)")
    p.add_argument("--results", default=os.path.join("runs", "reference"), help="folder for the JSON results")
    return p


def main(argv: list | None = None) -> int:
    """Parse the command line, train, and (rank 0) print and save the timing."""
    p = parser()
    args = p.parse_args(argv)
    if args.steps < 1:
        p.error("--steps must be at least 1")
    if args.task == "list":
        for name, task in TASKS.items():
            print(f"  {name:<10} {task.notes}")
        return 0
    result = train(args)
    if result["rank"] == 0:
        flags = [f for f, on in (("amp", args.amp), ("compile", args.compile)) if on]
        print(f"{args.task} on {result['device']}{''.join(' ' + f for f in flags)}, {result['world_size']} "
              f"process(es): {result['ms_per_step']:.2f} ms/step, {result['samples_per_s']:.0f} samples/s, "
              f"final loss {result['final_loss']:.4f}")
        os.makedirs(args.results, exist_ok=True)
        ddp = [f"ddp{result['world_size']}"] if result["world_size"] > 1 else []
        tag = "_".join([args.task, result["device"].replace(":", ""), *flags, *ddp])
        with open(os.path.join(args.results, f"{tag}.json"), "w") as f:
            json.dump(result, f, indent=2)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
