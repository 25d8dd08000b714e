"""Generate the fictional accounts files and CRM report exports for the sample studies.

Run from the repository root:  python sample_inputs/accounts/make_accounts.py

Everything here is invented (companies, owners, record ids).  Written:

* ``ledgerly_quarterly.csv``: accounts file with actuals per quarter
  (``benefit.<line>.<period>``), one account reporting per year, one with no data yet;
* ``ghatbox_bn.yaml``, ``shiftsabai_th.yaml``: the nested YAML form, one account with
  quarterly actuals and one without, for the Bengali and Thai studies;
* ``crm/salesforce_ledgerly_report.csv``: a Salesforce report export ("Details Only"):
  field labels as the header, every value quoted, one row per account, fiscal period and
  value line, then the "Grand Totals" block and the copyright footer Salesforce adds;
  three bad rows (a value line the map does not know, an amount "TBD", period Q5);
* ``crm/hubspot_ledgerly_companies.csv``: a HubSpot company export ("Record ID",
  "Company name", …) with a realised-value property per line and quarter; one bad row.

Amounts follow each study's own model lines, scaled by seats and ramping up over the
quarters.  Deterministic: re-running reproduces the files byte for byte.
"""

from __future__ import annotations

import csv
import io
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
QUARTERS = ("2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3")
RAMP = (Decimal("0.55"), Decimal("0.75"), Decimal("0.9"), Decimal("1.0"), Decimal("1.05"), Decimal("1.1"))

# Year-1 amounts of each study's model lines (from the sample specs), per 25 seats.
LEDGERLY = {"benefit.ben-close-labour": 168000, "benefit.ben-recovered-cash": 52000, "benefit.ben-audit-fees": 38000,
            "benefit.ben-continuous": 30000, "cost.cost-licence": 69000, "cost.cost-training": 6000}
LEDGERLY_INITIAL = {"initial_cost.cost-implementation": 48000, "initial_cost.cost-training": 12000}
GHATBOX = {"ben-sr-time": 3600000, "ben-expiry": 2100000, "ben-vat": 600000, "ben-credit": 900000}
GHATBOX_COSTS = {"cost-licence": 1800000, "cost-training": 300000}
SHIFTSABAI = {"ben-scheduling": 1400000, "ben-overtime": 2200000, "ben-compliance": 350000, "ben-retention": 800000}
SHIFTSABAI_COSTS = {"cost-licence": 1260000, "cost-training": 120000}


def _q(amount: Decimal) -> Decimal:
    return amount.quantize(Decimal(1), ROUND_HALF_UP)


def quarterly(year1: dict[str, int], scale: Decimal, spread: Decimal) -> dict[str, dict[str, Decimal]]:
    """Column → period → amount: benefits ramp up, costs are a quarter of the year's."""
    out: dict[str, dict[str, Decimal]] = {}
    for col, amount in year1.items():
        per_q = Decimal(amount) / 4 * scale
        out[col] = {p: _q(per_q * (r * spread if col.startswith("benefit.") else 1)) for p, r in zip(QUARTERS, RAMP)}
    return out


def write_csv(path: Path, header: list[str], rows: list[list[str]], quote_all: bool = False,
              footer: list[list[str]] | None = None) -> None:
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\r\n" if quote_all else "\n",
                   quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL)
    w.writerow(header)
    w.writerows(rows)
    for line in footer or []:
        w.writerow(line)
    path.write_bytes(buf.getvalue().encode("utf-8"))


def native_csv() -> None:
    accounts = [
        ("acct-q-001", "Sage Outfitters", "mid_market", "Financial Services", 58, "2025-04-14",
         "close-orchestration;auto-reconciliation;continuous-accounting", Decimal("2.32"), Decimal("1.05")),
        ("acct-q-002", "Harbor Clinics", "enterprise", "Healthcare", 410, "2025-05-02",
         "close-orchestration;auto-reconciliation;audit-readiness", Decimal("16.4"), Decimal("0.8")),
        ("acct-q-003", "Juniper Trading", "small_business", "Retail", 18, "", "auto-reconciliation", None, None),
    ]
    amount_cols = [f"{c}.{p}" for c in LEDGERLY for p in QUARTERS]
    yearly_cols = [f"{c}.{y}" for c in LEDGERLY for y in ("2025", "2026")]
    header = ["id", "name", "segment", "industry", "seats", "start", "adopted_use_cases", *LEDGERLY_INITIAL,
              *amount_cols, *yearly_cols]
    rows = []
    for ident, name, seg, ind, seats, start, adopted, scale, spread in accounts:
        row = [ident, name, seg, ind, str(seats), start, adopted]
        if scale is None:
            rows.append(row + [""] * (len(header) - len(row)))
            continue
        q = quarterly(LEDGERLY, scale, spread)
        row += [str(_q(Decimal(v) * scale)) for v in LEDGERLY_INITIAL.values()]
        row += [str(q[c][p]) for c in LEDGERLY for p in QUARTERS]
        rows.append(row + [""] * len(yearly_cols))
    # an account reporting per calendar year instead of per quarter
    scale = Decimal("4.4")
    row = ["acct-y-004", "Cedar Partners", "mid_market", "Nonprofit", "110", "2025-01-20",
           "close-orchestration;audit-readiness", *(str(_q(Decimal(v) * scale)) for v in LEDGERLY_INITIAL.values())]
    row += [""] * len(amount_cols)
    row += [str(_q(Decimal(LEDGERLY[c]) * scale * (Decimal("0.8") if y == "2025" else Decimal("0.95"))
                   if c.startswith("benefit.") else Decimal(LEDGERLY[c]) * scale)) for c in LEDGERLY
            for y in ("2025", "2026")]
    rows.append(row)
    write_csv(HERE / "ledgerly_quarterly.csv", header, rows)


def native_yaml(path: Path, header: str, accounts: list[tuple[str, str, str, str, int, str, list[str]]],
                benefits: dict[str, int], costs: dict[str, int], initial: dict[str, int], scale: Decimal) -> None:
    lines = [header, "accounts:"]
    for i, (ident, name, seg, ind, seats, start, adopted) in enumerate(accounts):
        lines += [f"  - id: {ident}", f"    name: {name}", f"    segment: {seg}", f"    industry: {ind}",
                  f"    seats: {seats}", f"    adopted_use_cases: [{', '.join(adopted)}]"]
        if i:
            continue  # the second account has no realised data yet
        lines.append(f"    start: {start}")
        lines.append("    initial_costs: {" + ", ".join(f"{k}: {_q(v * scale)}" for k, v in initial.items()) + "}")
        lines.append("    actuals:")
        for p, r in zip(QUARTERS, RAMP):
            ben = ", ".join(f"{k}: {_q(Decimal(v) / 4 * scale * r)}" for k, v in benefits.items())
            cost = ", ".join(f"{k}: {_q(Decimal(v) / 4 * scale)}" for k, v in costs.items())
            lines.append(f"      {p}: {{benefits: {{{ben}}}, costs: {{{cost}}}}}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


SF_HEADER = ["Account Name", "Account ID", "Opportunity Owner", "Customer Segment", "Industry", "Licensed Seats",
             "Contract Start Date", "Live Use Cases", "Fiscal Period", "Value Line", "Realized Amount"]
SF_LINES = {"benefit.ben-close-labour": "Close labour saved", "benefit.ben-recovered-cash": "Cash recovered",
            "benefit.ben-audit-fees": "Audit fees avoided", "benefit.ben-continuous": "Continuous accounting",
            "cost.cost-licence": "Subscription", "cost.cost-training": "Training"}
SF_SEGMENTS = {"small_business": "SMB", "mid_market": "Mid-Market", "enterprise": "Enterprise"}
SF_USE_CASES = {"close-orchestration": "Close Orchestration", "auto-reconciliation": "Auto-Reconciliation",
                "audit-readiness": "Audit Readiness", "continuous-accounting": "Continuous Accounting"}


def _money(amount: Decimal) -> str:
    return f"${amount:,.2f}"


def salesforce() -> None:
    accounts = [("Sage Outfitters", "0015g00000LqA1bAAF", "Priya Natarajan", "mid_market", "Financial Services", 58,
                 "4/14/2025", ["close-orchestration", "auto-reconciliation"], Decimal("2.32")),
                ("Harbor Clinics", "0015g00000LqB7cAAF", "Marcus Bell", "enterprise", "Healthcare", 410, "5/2/2025",
                 ["close-orchestration", "auto-reconciliation", "audit-readiness"], Decimal("16.4")),
                ("Kestrel Hotels", "0015g00000LqC3dAAF", "Priya Natarajan", "mid_market", "Hospitality", 30,
                 "7/1/2025", ["audit-readiness"], Decimal("1.2"))]
    rows: list[list[str]] = []
    total = Decimal(0)
    for name, ident, owner, seg, ind, seats, start, ucs, scale in accounts:
        base = [name, ident, owner, SF_SEGMENTS[seg], ind, str(seats), start, ";".join(SF_USE_CASES[u] for u in ucs)]
        q = quarterly(LEDGERLY, scale, Decimal(1))
        quarters = QUARTERS if ident != "0015g00000LqC3dAAF" else QUARTERS[1:4]
        for p in quarters:
            year, quarter = p.split("-")
            for col, label in SF_LINES.items():
                total += q[col][p]
                rows.append(base + [f"{quarter}-{year}", label, _money(q[col][p])])
        rows.append(base + ["", "Implementation fee", _money(_q(Decimal(48000) * scale))])
    bad_base = rows[0][:8]
    rows.insert(5, bad_base + ["Q2-2025", "Travel savings", "$1,200.00"])  # a line the map does not know
    rows.insert(9, bad_base + ["Q3-2025", "Cash recovered", "TBD"])
    rows.insert(14, bad_base + ["Q5-2025", "Subscription", "$17,250.00"])
    # an account with no realised value yet (the report joins accounts with or without value rows)
    rows.append(["Alder Foods", "0015g00000LqD9eAAF", "Marcus Bell", "Enterprise", "Retail", "820", "8/15/2026",
                 "Close Orchestration", "", "", ""])
    footer = [[""], [f"Grand Totals ({len(rows)} records)"], ["", "", "", "", "", "", "", "", "", "", _money(total)],
              [""], [""], ["Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved."],
              ["Confidential Information - Do Not Distribute"], ["Generated By:  Priya Natarajan  10/3/2026 9:14 AM"],
              ["Ledgerly, Inc."]]
    write_csv(HERE / "crm" / "salesforce_ledgerly_report.csv", SF_HEADER, rows, quote_all=True, footer=footer)


HS_LINES = {"benefit.ben-close-labour": "Close labor", "benefit.ben-recovered-cash": "Recovered cash",
            "benefit.ben-audit-fees": "Audit fees", "cost.cost-licence": "Subscription"}


def hubspot() -> None:
    quarters = QUARTERS[2:]
    prop = [f"Realized value: {label} ({p.replace('-', ' ')})" for label in HS_LINES.values() for p in quarters]
    header = ["Record ID", "Company name", "Company owner", "Create Date", "Industry", "Number of Employees",
              "Customer tier", "Licensed seats", "Contract start date", "Live use cases", "Onboarding fee", *prop]
    companies = [("18273645102", "Grove Works", "Dana Ortiz", "2025-09-02 10:41", "Software", "1,200", "Enterprise",
                  "534", "2025-10-01", "Close orchestration;Auto-reconciliation", Decimal("21.4")),
                 ("18273645377", "Nettle & Rowan LLP", "Dana Ortiz", "2025-11-18 15:02", "Accounting", "45",
                  "Small business", "12", "2025-12-01", "Auto-reconciliation", Decimal("0.5")),
                 ("18273646010", "Quill Logistics", "Sam Whitaker", "2026-06-30 08:15", "Logistics", "380",
                  "Mid-market", "90", "2026-07-15", "Close orchestration", None)]
    rows = []
    for ident, name, owner, created, ind, emp, tier, seats, start, ucs, scale in companies:
        row = [ident, name, owner, created, ind, emp, tier, seats, start, ucs]
        if scale is None:
            rows.append(row + [""] * (len(header) - len(row)))
            continue
        q = quarterly({c: LEDGERLY[c] for c in HS_LINES}, scale, Decimal("0.95"))
        row.append(f"{_q(Decimal(48000) * scale)}")
        row += [str(q[c][p]) for c in HS_LINES for p in quarters]
        rows.append(row)
    bad = list(rows[0])
    bad[0], bad[1], bad[6] = "18273649999", "Umber Labs", "Strategic"  # a tier the map does not know
    rows.insert(1, bad)
    write_csv(HERE / "crm" / "hubspot_ledgerly_companies.csv", header, rows)


def main() -> None:
    (HERE / "crm").mkdir(exist_ok=True)
    native_csv()
    schema = "# Accounts for the Bengali sample study (fictional): one with quarterly actuals, one with none yet."
    native_yaml(HERE / "ghatbox_bn.yaml", schema,
                [("ghat-001", "মেঘনা ট্রেডার্স", "mid_market", "Distribution", 60, "2025-04-01",
                  ["route-ordering", "stock-visibility"]),
                 ("ghat-002", "পদ্মা ফার্মা ডিস্ট্রিবিউশন", "enterprise", "Pharmaceuticals", 300, "",
                  ["route-ordering"])],
                GHATBOX, GHATBOX_COSTS, {"cost-implementation": 1200000, "cost-training": 900000}, Decimal("1.4"))
    schema = "# Accounts for the Thai sample study (fictional): one with quarterly actuals, one with none yet."
    native_yaml(HERE / "shiftsabai_th.yaml", schema,
                [("sabai-001", "โรงแรมริมน้ำเชียงใหม่", "mid_market", "Hospitality", 80, "2025-04-01",
                  ["auto-rostering", "overtime-control"]),
                 ("sabai-002", "เครือร้านอาหารบ้านสวน", "enterprise", "Restaurants", 450, "", ["auto-rostering"])],
                SHIFTSABAI, SHIFTSABAI_COSTS, {"cost-implementation": 650000, "cost-training": 280000}, Decimal("0.9"))
    salesforce()
    hubspot()


if __name__ == "__main__":
    main()
