#!/usr/bin/env python3
"""Model fit speed and likelihood: the engine against the Python `lifetimes` package.

    pip install lifetimes            # numpy, scipy, pandas, autograd, dill
    python3 scripts/compare-lifetimes.py [--runs 9] [--warmup 3] [--keep DIR]

In one run it
  1. writes per-customer summaries with the engine (scripts/compare-lifetimes/summaries.ts):
     CDNOW sample (data/cdnow, weeks), CDNOW master (23,570 customers, the CDNOW_master.txt
     that lifetimes ships in lifetimes/datasets, weeks) and UCI Online Retail
     (data/online-retail, in weeks and in days); x = repeat purchase days, recency and T from
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
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

import lifetimes
from lifetimes import BetaGeoFitter, GammaGammaFitter

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def timed(fn, runs, warmup):
    for _ in range(warmup):
        fn()
    times = []
    result = None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), result


def load_summary(path):
    data = np.genfromtxt(path, delimiter=",", names=True)
    return data["frequency"], data["recency"], data["T"], data["monetary_value"]


def bgnbd_loglik(params, f, r, T):
    """Total log-likelihood by lifetimes' own BetaGeoFitter._negative_log_likelihood, unscaled time."""
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
        ms, bg = timed(lambda: BetaGeoFitter().fit(f, r, T), runs, warmup)
        p = {k: float(bg.params_[k]) for k in ["r", "alpha", "a", "b"]}
        out["bgnbd"] = {"ms": ms, "params": p, "logLik": bgnbd_loglik(p, f, r, T)}
    except Exception as e:  # ConvergenceError and friends: reported, not hidden
        out["bgnbd"] = {"error": f"{type(e).__name__}: {str(e).strip()}"}
    rows, counts = np.unique(np.stack([f, r, T], axis=1), axis=0, return_counts=True)
    try:
        ms, bgw = timed(lambda: BetaGeoFitter().fit(rows[:, 0], rows[:, 1], rows[:, 2], weights=counts), runs, warmup)
        p = {k: float(bgw.params_[k]) for k in ["r", "alpha", "a", "b"]}
        out["bgnbdWeighted"] = {"ms": ms, "params": p, "logLik": bgnbd_loglik(p, f, r, T), "rows": len(rows)}
    except Exception as e:
        out["bgnbdWeighted"] = {"error": f"{type(e).__name__}: {str(e).strip()}"}
    keep = (f > 0) & (m > 0)
    fg, mg = f[keep], m[keep]
    try:
        ms, gg = timed(lambda: GammaGammaFitter().fit(fg, mg), runs, warmup)
        p = {"p": float(gg.params_["p"]), "q": float(gg.params_["q"]), "gamma": float(gg.params_["v"])}
        out["gammaGamma"] = {"ms": ms, "params": p, "logLik": gg_loglik(p, fg, mg), "customers": int(keep.sum())}
    except Exception as e:
        out["gammaGamma"] = {"error": f"{type(e).__name__}: {str(e).strip()}"}
    out["data"] = (f, r, T, fg, mg)
    return out


def fmt_params(p):
    return ", ".join(f"{k}={v:.6g}" for k, v in p.items())


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=9, help="timed fits per side, model and data set (median)")
    ap.add_argument("--warmup", type=int, default=3, help="untimed fits before them")
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
        print(f"\n{entry['name']}: {entry['customers']} customers ({entry['source']}), "
              f"{en['distinctTriples']} distinct (x, t_x, T)")
        print(f"  BG/NBD  engine    {en['bgnbd']['medianMs']:9.2f} ms  LL {en_bg_ll:.4f} (engine's own {en['bgnbd']['logLik']:.4f})"
              f"  {fmt_params(en['bgnbd']['params'])}  not identified: {en['bgnbd']['notIdentified'] or '-'}")
        for key, label in [("bgnbd", "lifetimes"), ("bgnbdWeighted", "lt weights")]:
            x = lt[key]
            if "error" in x:
                print(f"  BG/NBD  {label:9s} failed: {x['error']}")
                continue
            print(f"  BG/NBD  {label:9s} {x['ms']:9.2f} ms  LL {x['logLik']:.4f}  {fmt_params(x['params'])}"
                  f"  -> engine {x['ms'] / en['bgnbd']['medianMs']:.1f}x faster, LL diff {en_bg_ll - x['logLik']:+.4f}")
        eg = en["gammaGamma"]
        en_gg_ll = gg_loglik(eg["params"], fg, mg)
        print(f"  GG      engine    {eg['medianMs']:9.2f} ms  LL {en_gg_ll:.4f}  {fmt_params(eg['params'])}"
              f"  ({eg['customers']} customers)")
        x = lt["gammaGamma"]
        if "error" in x:
            print(f"  GG      lifetimes failed: {x['error']}")
        else:
            print(f"  GG      lifetimes {x['ms']:9.2f} ms  LL {x['logLik']:.4f}  {fmt_params(x['params'])}"
                  f"  -> engine {x['ms'] / eg['medianMs']:.1f}x faster, LL diff {en_gg_ll - x['logLik']:+.4f}")
        report.append({"dataset": entry, "engine": en, "lifetimes": lt,
                       "engineLogLikByLifetimes": {"bgnbd": en_bg_ll, "gammaGamma": en_gg_ll}})
    if args.json:
        with open(args.json, "w") as fh:
            json.dump({"lifetimes": lifetimes.__version__, "node": ours["node"], "report": report}, fh, indent=1)
    if not args.keep:
        shutil.rmtree(out_dir)


if __name__ == "__main__":
    main()
