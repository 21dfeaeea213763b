#!/usr/bin/env python3
"""Model fit speed and likelihood: the engine against the Python `lifetimes` package.

    pip install lifetimes            # numpy, scipy, pandas, autograd, dill
    python3 scripts/compare-lifetimes.py [--runs 9] [--warmup 3] [--keep DIR] [--json FILE]

(from the repository root, after npm install: the summaries and our fits run with node_modules/.bin/tsx)

In one run it
  1. writes per-customer summaries with the engine (scripts/compare-lifetimes/summaries.ts):
     CDNOW sample (data/cdnow, weeks), CDNOW master (23,570 customers, the CDNOW_master.txt
     that lifetimes ships in lifetimes/datasets, weeks) and UCI Online Retail
     (data/online-retail, in weeks and in days), and two simulated shops where nobody leaves
     (the BG/NBD optimum at the no-dropout limit a -> 0); x = repeat purchase days, recency and T from
     the first purchase day, monetary_value = mean of the repeat days' totals: what
     lifetimes' summary_data_from_transaction_data(freq="D", freq_multiplier=7 or 1) gives;
  2. fits lifetimes' BetaGeoFitter().fit(frequency, recency, T) and
     GammaGammaFitter().fit(frequency, monetary_value) (customers with frequency > 0 and
     monetary_value > 0), default options, as a user calls them; and BetaGeoFitter with
     weights= on the distinct (frequency, recency, T) rows, lifetimes' own compression;
  3. fits the same summaries with the engine in Node (scripts/compare-lifetimes/engine-fits.ts);
  4. prints, per data set and model: median time per fit after warm-up for both sides, the
     speed ratio, the parameters and the log-likelihoods. Both sides' parameters are scored
     with lifetimes' own _negative_log_likelihood in the data's time unit, so the two
     log-likelihoods are computed by the same code.

lifetimes' fit() time includes what fit() does besides optimizing (input checks, time
scaling, the autograd Hessian and the pandas frames of standard errors); that is the
cost of a fit with the package.
"""
import argparse
import contextlib
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings

import numpy as np

import lifetimes
from lifetimes import BetaGeoFitter, GammaGammaFitter

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def timed(fn, runs, warmup):
    """Median wall-clock and CPU milliseconds of `runs` calls after `warmup` calls, and the last result.

    lifetimes prints the optimizer's output when a fit fails, and numpy warns on the way: both are kept
    off the screen (a failure is reported as the exception it raises)."""
    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(warmup):
            fn()
        wall, cpu = [], []
        result = None
        for _ in range(runs):
            t0, c0 = time.perf_counter(), time.process_time()
            result = fn()
            wall.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
    return {"ms": statistics.median(wall), "cpuMs": statistics.median(cpu)}, result


def load_summary(path):
    data = np.genfromtxt(path, delimiter=",", names=True)
    return data["frequency"], data["recency"], data["T"], data["monetary_value"]


def bgnbd_loglik(params, f, r, T):
    """Total log-likelihood by lifetimes' own BetaGeoFitter._negative_log_likelihood, unscaled time.

    a = 0 (the engine's no-dropout limit) is evaluated as lifetimes' formula does at log(a) = -inf."""
    with np.errstate(divide="ignore"):
        log_params = np.log([params["r"], params["alpha"], params["a"], params["b"]])
    w = np.ones_like(r)
    return -BetaGeoFitter._negative_log_likelihood(log_params, f, r, T, w, 0.0) * len(f)


def gg_loglik(params, f, m):
    log_params = np.log([params["p"], params["q"], params["gamma"]])
    w = np.ones_like(m)
    return -GammaGammaFitter._negative_log_likelihood(log_params, f, m, w, 0.0) * len(f)


def fit_lifetimes(name, path, runs, warmup):
    f, r, T, m = load_summary(path)
    out = {"name": name}
    try:
        t, bg = timed(lambda: BetaGeoFitter().fit(f, r, T), runs, warmup)
        p = {k: float(bg.params_[k]) for k in ["r", "alpha", "a", "b"]}
        out["bgnbd"] = {**t, "params": p, "logLik": bgnbd_loglik(p, f, r, T)}
    except Exception as e:  # ConvergenceError and friends: reported, not hidden
        out["bgnbd"] = {"error": f"{type(e).__name__}: {str(e).strip()}"}
    rows, counts = np.unique(np.stack([f, r, T], axis=1), axis=0, return_counts=True)
    try:
        t, bgw = timed(lambda: BetaGeoFitter().fit(rows[:, 0], rows[:, 1], rows[:, 2], weights=counts), runs, warmup)
        p = {k: float(bgw.params_[k]) for k in ["r", "alpha", "a", "b"]}
        out["bgnbdWeighted"] = {**t, "params": p, "logLik": bgnbd_loglik(p, f, r, T), "rows": len(rows)}
    except Exception as e:
        out["bgnbdWeighted"] = {"error": f"{type(e).__name__}: {str(e).strip()}"}
    keep = (f > 0) & (m > 0)
    fg, mg = f[keep], m[keep]
    try:
        t, gg = timed(lambda: GammaGammaFitter().fit(fg, mg), runs, warmup)
        p = {"p": float(gg.params_["p"]), "q": float(gg.params_["q"]), "gamma": float(gg.params_["v"])}
        out["gammaGamma"] = {**t, "params": p, "logLik": gg_loglik(p, fg, mg), "customers": int(keep.sum())}
    except Exception as e:
        out["gammaGamma"] = {"error": f"{type(e).__name__}: {str(e).strip()}"}
    out["data"] = (f, r, T, fg, mg)
    return out


def fmt_params(p):
    return ", ".join(f"{k}={v:.6g}" for k, v in p.items())


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=9, help="timed fits per side, model and data set (median)")
    ap.add_argument("--warmup", type=int, default=3, help="untimed fits before them (each side, data set and model)")
    ap.add_argument("--keep", help="write the summaries here and keep them (default: a temporary folder)")
    ap.add_argument("--json", help="also write all figures to this file")
    ap.add_argument("--cdnow-master", help="CDNOW_master.txt (default: the one lifetimes ships)")
    args = ap.parse_args()

    master = args.cdnow_master or os.path.join(os.path.dirname(lifetimes.datasets.__file__), "CDNOW_master.txt")
    out_dir = args.keep or tempfile.mkdtemp(prefix="compare-lifetimes-")
    tsx = [os.path.join(ROOT, "node_modules", ".bin", "tsx")]
    cmd = tsx + [os.path.join(ROOT, "scripts/compare-lifetimes/summaries.ts"), out_dir]
    if os.path.exists(master):
        cmd += ["--cdnow-master", master]
    else:
        print(f"note: {master} not found, CDNOW master left out", file=sys.stderr)
    subprocess.run(cmd, check=True, cwd=ROOT)
    with open(os.path.join(out_dir, "manifest.json")) as fh:
        manifest = json.load(fh)

    ours = json.loads(
        subprocess.run(
            tsx
            + [
                os.path.join(ROOT, "scripts/compare-lifetimes/engine-fits.ts"),
                out_dir,
                "--runs",
                str(args.runs),
                "--warmup",
                str(args.warmup),
            ],
            check=True,
            cwd=ROOT,
            capture_output=True,
            text=True,
        ).stdout
    )
    ours_by_name = {r["name"]: r for r in ours["results"]}

    import pandas
    import scipy

    print(
        f"lifetimes {lifetimes.__version__} (numpy {np.__version__}, scipy {scipy.__version__}, "
        f"pandas {pandas.__version__}, Python {sys.version.split()[0]}); engine on Node {ours['node']}; "
        f"median of {args.runs} fits after {args.warmup} warm-up fits"
    )
    report = []
    for entry in manifest:
        lt = fit_lifetimes(entry["name"], os.path.join(out_dir, entry["file"]), args.runs, args.warmup)
        f, r, T, fg, mg = lt.pop("data")
        en = ours_by_name[entry["name"]]
        en_bg_ll = bgnbd_loglik(en["bgnbd"]["params"], f, r, T)
        en_gg_ll = gg_loglik(en["gammaGamma"]["params"], fg, mg)
        print(f"\n{entry['name']}: {entry['customers']} customers ({entry['source']}), "
              f"{en['distinctTriples']} distinct (x, t_x, T), {entry['repeatCustomers']} with x > 0")
        rows = [
            ("BG/NBD", "engine", en["bgnbd"], en_bg_ll, None),
            ("BG/NBD", "lifetimes", lt["bgnbd"], None, en["bgnbd"]),
            ("BG/NBD", "lt weights", lt["bgnbdWeighted"], None, en["bgnbd"]),
            ("GG", "engine", en["gammaGamma"], en_gg_ll, None),
            ("GG", "lifetimes", lt["gammaGamma"], None, en["gammaGamma"]),
        ]
        for model, side, x, ll, ours_x in rows:
            if "error" in x:
                print(f"  {model:6s} {side:10s} failed: {x['error']}")
                continue
            ms = x.get("medianMs", x.get("ms"))
            cpu = x.get("medianCpuMs", x.get("cpuMs"))
            ll = x["logLik"] if ll is None else ll
            line = f"  {model:6s} {side:10s} {ms:8.2f} ms (CPU {cpu:8.2f})  LL {ll:.4f}  {fmt_params(x['params'])}"
            if ours_x is not None:
                our_ll = en_bg_ll if model == "BG/NBD" else en_gg_ll
                line += (f"  -> engine {ms / ours_x['medianMs']:.1f}x faster (CPU {cpu / ours_x['medianCpuMs']:.1f}x),"
                         f" LL engine - lifetimes {our_ll - x['logLik']:+.1e}")
            elif x.get("notIdentified"):
                line += f"  not identified: {', '.join(x['notIdentified'])} ({x.get('limit')})"
            print(line)
        report.append({"dataset": entry, "engine": en, "lifetimes": lt,
                       "engineLogLikByLifetimes": {"bgnbd": en_bg_ll, "gammaGamma": en_gg_ll}})
    if args.json:
        with open(args.json, "w") as fh:
            json.dump({"lifetimes": lifetimes.__version__, "node": ours["node"], "report": report}, fh, indent=1)
    if not args.keep:
        shutil.rmtree(out_dir)


if __name__ == "__main__":
    main()
