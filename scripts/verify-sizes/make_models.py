#!/usr/bin/python3
"""Synthetic ONNX files with the REAL tensor shapes, dtypes and op types of the 1.5B model's variants.

Why: whether ONNX Runtime Web can create a session is decided by the file's size and contents (it
parses the whole protobuf inside the 4 GB wasm heap), not by the weights' values. These files carry
zero weights in the real layout of onnx-community/DeepSeek-R1-Distill-Qwen-1.5B-ONNX, so
`npm run verify:sizes` can load each one in Chromium here without the real 1.4-2 GB downloads.

Layout (Qwen2-1.5B config: hidden 1536, intermediate 8960, 28 layers, 2 KV heads x 128, vocab 151936,
untied lm_head, max positions 131072). Every size in the real listing is matched by:
embedding + 28 x (q, k, v, o, gate, up, down) + lm_head + the rotary cos/sin tables the export bakes
in (131072 x 64 each). The attention maths (softmax over a KV cache) is left out: it holds no
weights, and one step through the projections is what a decode step costs.

Variants (transformers.js dtype -> file):
  q4f16 model_q4f16.onnx    1.37 GB  fp16 activations, MatMulNBits 4-bit/block 32, fp16 scales, fp16 embedding
  q4    model_q4.onnx       1.97 GB  fp32 activations, MatMulNBits 4-bit/block 32, fp32 scales, fp32 embedding
  q8    model_quantized.onnx 1.85 GB  fp32 activations, DynamicQuantizeLinear + MatMulInteger (int8, per channel),
                                     int8 embedding + DequantizeLinear (onnxruntime quantize_dynamic)

Usage: /usr/bin/python3 scripts/verify-sizes/make_models.py OUT_DIR [variant ...]
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HIDDEN = 1536
INTER = 8960
LAYERS = 28
KV = 2 * 128
VOCAB = 151936
ROTARY_POSITIONS = 131072
ROTARY_HALF = 64
BLOCK = 32

FILES = {"q4f16": "model_q4f16.onnx", "q4": "model_q4.onnx", "q8": "model_quantized.onnx"}


class Graph:
    def __init__(self, variant):
        self.variant = variant
        self.float = TensorProto.FLOAT16 if variant == "q4f16" else TensorProto.FLOAT
        self.np_float = np.float16 if variant == "q4f16" else np.float32
        self.nodes = []
        self.inits = []
        self.count = 0

    def name(self, base):
        self.count += 1
        return f"{base}_{self.count}"

    def const(self, base, array):
        name = self.name(base)
        self.inits.append(numpy_helper.from_array(array, name))
        return name

    def node(self, op, inputs, base, domain="", outputs=1, **attrs):
        names = [self.name(base) for _ in range(outputs)]
        self.nodes.append(helper.make_node(op, inputs, names, domain=domain, **attrs))
        return names[0] if outputs == 1 else names

    def linear(self, x, k, n, bias=False):
        if self.variant == "q8":
            xq, xs, xz = self.node("DynamicQuantizeLinear", [x], "dql", outputs=3)
            w = self.const("w_int8", np.zeros((k, n), np.int8))
            wz = self.const("w_zp", np.zeros((n,), np.int8))
            acc = self.node("MatMulInteger", [xq, w, xz, wz], "mmi")
            accf = self.node("Cast", [acc], "cast", to=TensorProto.FLOAT)
            scale = self.node("Mul", [xs, self.const("w_scale", np.ones((n,), np.float32))], "scale")
            y = self.node("Mul", [accf, scale], "deq")
        else:
            blocks = k // BLOCK
            w = self.const("w_q4", np.zeros((n, blocks, BLOCK // 2), np.uint8))
            s = self.const("w_scales", np.zeros((n * blocks,), self.np_float))
            y = self.node("MatMulNBits", [x, w, s], "mmnb", domain="com.microsoft", K=k, N=n, bits=4, block_size=BLOCK)
        if bias:
            y = self.node("Add", [y, self.const("bias", np.zeros((n,), self.np_float))], "bias")
        return y

    def rms_norm(self, x):
        sq = self.node("Mul", [x, x], "sq")
        mean = self.node("ReduceMean", [sq], "mean", axes=[-1], keepdims=1)
        eps = self.node("Add", [mean, self.const("eps", np.array(1e-6, self.np_float))], "eps")
        root = self.node("Sqrt", [eps], "sqrt")
        normed = self.node("Div", [x, root], "div")
        return self.node("Mul", [normed, self.const("gamma", np.ones((HIDDEN,), self.np_float))], "gamma")

    def mean_last(self, x):
        return self.node("ReduceMean", [x], "mean", axes=[-1], keepdims=1)

    def embedding(self, ids):
        if self.variant == "q8":
            table = self.const("embed_int8", np.zeros((VOCAB, HIDDEN), np.int8))
            rows = self.node("Gather", [table, ids], "embed")
            return self.node(
                "DequantizeLinear",
                [rows, self.const("embed_scale", np.array(1.0, np.float32)), self.const("embed_zp", np.array(0, np.int8))],
                "embed_deq",
            )
        table = self.const("embed", np.zeros((VOCAB, HIDDEN), self.np_float))
        return self.node("Gather", [table, ids], "embed")

    def build(self):
        x = self.embedding("input_ids")
        # The rotary tables: looked up by position, as the export does, so they stay in the graph.
        for table in ("cos_cache", "sin_cache"):
            rows = self.node("Gather", [self.const(table, np.zeros((ROTARY_POSITIONS, ROTARY_HALF), self.np_float)), "position_ids"], table)
            x = self.node("Add", [x, self.mean_last(rows)], "rope")
        for _ in range(LAYERS):
            h = self.rms_norm(x)
            q = self.linear(h, HIDDEN, HIDDEN, bias=True)
            k = self.linear(h, HIDDEN, KV, bias=True)
            v = self.linear(h, HIDDEN, KV, bias=True)
            o = self.linear(q, HIDDEN, HIDDEN)
            o = self.node("Add", [o, self.node("Add", [self.mean_last(k), self.mean_last(v)], "kv")], "attn")
            x = self.node("Add", [x, o], "residual")
            h = self.rms_norm(x)
            gate = self.linear(h, HIDDEN, INTER)
            up = self.linear(h, HIDDEN, INTER)
            act = self.node("Mul", [self.node("Mul", [gate, self.node("Sigmoid", [gate], "sig")], "silu"), up], "swiglu")
            x = self.node("Add", [x, self.linear(act, INTER, HIDDEN)], "residual")
        logits = self.linear(self.rms_norm(x), HIDDEN, VOCAB)
        self.nodes.append(helper.make_node("Identity", [logits], ["logits"]))
        graph = helper.make_graph(
            self.nodes,
            f"synthetic-{self.variant}",
            [
                helper.make_tensor_value_info("input_ids", TensorProto.INT64, [1, "sequence"]),
                helper.make_tensor_value_info("position_ids", TensorProto.INT64, [1, "sequence"]),
            ],
            [helper.make_tensor_value_info("logits", self.float, [1, "sequence", VOCAB])],
            self.inits,
        )
        opsets = [helper.make_opsetid("", 17), helper.make_opsetid("com.microsoft", 1)]
        return helper.make_model(graph, opset_imports=opsets, producer_name="harbour-chat verify:sizes")


def main():
    out = sys.argv[1]
    variants = sys.argv[2:] or list(FILES)
    os.makedirs(out, exist_ok=True)
    for variant in variants:
        path = os.path.join(out, FILES[variant])
        if os.path.exists(path):
            print(f"{path} exists ({os.path.getsize(path):,} bytes)")
            continue
        model = Graph(variant).build()
        with open(path + ".part", "wb") as f:
            f.write(model.SerializeToString())
        os.replace(path + ".part", path)
        print(f"{path} {os.path.getsize(path):,} bytes")


if __name__ == "__main__":
    main()
