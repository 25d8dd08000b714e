"""Interface labels for documents, per language.

Study prose comes from the spec in its own language; these are the engine's own
words around it (figure labels, ROI type and zone names, table headers).  Bengali and
Thai type and zone names follow the source article's translations.
"""

from __future__ import annotations

from .source_labels import SOURCE_LABELS

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "method.equal": "equal", "method.cost_weighted": "cost-weighted", "method.stated": "stated",
        "benchmark_net": "Study benchmark: net cash flow per year",
        "your_results_to_date": "Your results to date",
        "period": "Period", "net_short": "Net", "total_to_date": "Total to date",
        "value_vs_benchmark": "Your value vs the benchmark", "realised_over_time": "Realised value over time",
        "attributable": "Attributable", "transformational": "Transformational", "efficiency": "Efficiency",
        "need": "Need", "indirect": "Indirect",
        "winning": "Winning zone", "competitive": "Competitive zone", "instability": "Instability zone",
        "roi_pct": "ROI", "npv": "Net present value", "payback_months": "Payback", "pv_benefits": "PV of benefits",
        "pv_costs": "PV of costs", "total_benefits": "Total benefits", "total_costs": "Total costs",
        "classic_roi_pct": "Classic ROI", "undiscounted_roi_pct": "Undiscounted ROI",
        "benefits": "Benefits", "costs": "Costs", "net": "Net cash flow", "cumulative": "Cumulative net cash flow",
        "initial": "Initial", "year": "Year {n}", "total": "Total", "present_value": "Present value",
        "months": "Months", "beyond_horizon": "beyond horizon",
        "continued": "{title} (continued)",
        "use_cases": "Use cases", "value_props": "Proven value", "methodology": "Methodology",
        "roi_model": "ROI model", "framework": "The five types of ROI", "evidenced": "Evidenced",
        "next_step": "Next step up the slope", "zone_now": "Where the evidence stands",
        "incentivized": "Incentivized review", "unverified": "Unverified reviewer",
        "verified_reviews": "{n} verified reviews on {platform} as of {date}",
        "draft": "DRAFT — not for distribution",
        "model_note": "ROI = NPV / PV(costs); benefits reduced and costs increased by their risk adjustments; "
                      "year amounts discounted at {rate} at year end; initial amounts undiscounted.",
        "payback_note": "Payback: months until cumulative risk-adjusted, undiscounted net cash flow reaches zero and stays there.",
        "attribution": "Shared outcome: modelled attribution ({method})",
        "shared_outcomes": "Shared outcomes",
        "contributor": "Contributor", "share": "Share", "attributed": "Attributed", "modelled_roi": "Modelled ROI",
        "segment.small_business": "Small business", "segment.mid_market": "Mid-market",
        "segment.enterprise": "Enterprise",
        "stars": "{n} of 5 stars", "challenge": "Challenge", "solution": "Solution", "results": "Results",
        "executive_summary": "Executive summary", "headline": "Headline results",
        "your_results": "Your results", "benchmark": "Study benchmark", "realised": "Realised",
        "not_adopted": "Use cases to adopt next", "similar_customers": "What similar customers achieved",
        "milestones": "First milestones", "look_for": "What to look for",
        "source": "Source",
        "risk": "Risk", "unadjusted_total": "Total (unadjusted)", "unadjusted_pv": "PV (unadjusted)",
        "adjusted_total": "Total (risk-adjusted)", "adjusted_pv": "PV (risk-adjusted)",
        "line_results": "Benefits and costs, unadjusted and risk-adjusted",
        "risk_ranges": "Risk ranges and sensitivity", "p10": "p10", "p50": "p50 (median)", "p90": "p90",
        "p_roi_positive": "Probability that ROI > 0", "at_low": "Input at its low end", "at_high": "Input at its high end",
        "mc_note": "Monte Carlo, {iterations} iterations (seed {seed}): {inputs} each drawn once per iteration from a "
                   "triangular distribution (low, value, high) and used for every year; all other inputs at their "
                   "values; every line keeps its risk adjustment.",
        "sens_note": "NPV with one input at a time at the low and at the high end of its range, all others at their "
                     "values (NPV at the values: {npv}).",
        "unquantified_benefits": "Unquantified benefits", "flexibility": "Flexibility",
        "tei_note": "Shown by the evidence but not valued in the ROI model.",
        "ref": "Ref.", "metric": "Metric", "risk_adjustment": "Risk adjustment",
        "risk_adjusted": "{label} (risk-adjusted)", "calculation": "Calculation: {label}",
        "calc_note": "{years}-year total {total}; present value {pv} (discounted at {rate}).",
        "when": "When", "milestone": "Milestone", "days": "Days {a}–{b}",
        "payback_milestone": "Payback reached by similar customers (study model, risk-adjusted)",
        "month_n": "Month {n}",
        "exec_summary": "{publisher} validated {vendor}'s value propositions against {reviews} verified reviews on "
                        "{platform}. Over {years} years the risk-adjusted model gives ROI {roi}, net present value "
                        "{npv} and payback in {payback}.",
        "short.roi_pct": "NPV ÷ PV(costs), {years}-year, risk-adjusted",
        "short.npv": "{years}-year, risk-adjusted, {rate} discount",
        "short.payback_months": "risk-adjusted, undiscounted",
        "short.pv_benefits": "{years}-year, risk-adjusted, {rate} discount",
        "short.pv_costs": "{years}-year, risk-adjusted, {rate} discount",
        "short.total_benefits": "{years}-year, risk-adjusted, undiscounted",
        "short.total_costs": "{years}-year, risk-adjusted, undiscounted",
        "short.classic_roi_pct": "(gain − cost) ÷ cost",
        "no_realised": "No realised data for {account} yet: the figures shown are the study benchmark, not this account's results.",
        "no_realised_study": "No account data yet: the figures shown are the study benchmark.",
        "analysts": "Analysts", "published": "Published", "evidence_as_of": "evidence as of {date}",
        "commissioned": "Commissioned by {who}.", "vendor_supplied": "{vendor} supplied: {items}.",
        "vendor_supplied_none": "{vendor} supplied no evidence.",
        "reviews_read": "Reviews were read by {publisher} on {platform}; quotes are verbatim.",
        "case_source": "Source: {items}", "review_source": "Source: verified {platform} reviews",
    },
    "bn": {
        "method.equal": "সমান ভাগ", "method.cost_weighted": "খরচ-ভিত্তিক ভাগ", "method.stated": "ঘোষিত অংশ",
        "benchmark_net": "গবেষণার মানদণ্ড: বছরভিত্তিক নিট নগদ প্রবাহ",
        "your_results_to_date": "এ পর্যন্ত আপনার ফলাফল",
        "period": "সময়কাল", "net_short": "নিট", "total_to_date": "এ পর্যন্ত মোট",
        "value_vs_benchmark": "আপনার মূল্য বনাম গবেষণার মানদণ্ড", "realised_over_time": "সময়ের সঙ্গে অর্জিত মূল্য",
        "attributable": "অ্যাট্রিবিউটেবল", "transformational": "রূপান্তরকারী", "efficiency": "দক্ষতা",
        "need": "প্রয়োজন", "indirect": "পরোক্ষ",
        "winning": "বিজয়ী অঞ্চল", "competitive": "প্রতিযোগিতা অঞ্চল", "instability": "অস্থিরতা অঞ্চল",
        "roi_pct": "ROI", "npv": "নিট বর্তমান মূল্য", "payback_months": "পেব্যাক", "pv_benefits": "সুবিধার বর্তমান মূল্য",
        "pv_costs": "খরচের বর্তমান মূল্য", "total_benefits": "মোট সুবিধা", "total_costs": "মোট খরচ",
        "classic_roi_pct": "প্রচলিত ROI", "undiscounted_roi_pct": "বাট্টাহীন ROI",
        "benefits": "সুবিধা", "costs": "খরচ", "net": "নিট নগদ প্রবাহ", "cumulative": "ক্রমবর্ধমান নিট নগদ প্রবাহ",
        "initial": "প্রারম্ভিক", "year": "বছর {n}", "total": "মোট", "present_value": "বর্তমান মূল্য",
        "months": "মাস", "beyond_horizon": "সময়সীমার বাইরে",
        "continued": "{title} (পূর্বের পর)",
        "use_cases": "ব্যবহারের ক্ষেত্র", "value_props": "প্রমাণিত মূল্য", "methodology": "পদ্ধতি",
        "roi_model": "ROI মডেল", "framework": "পাঁচ ধরনের ROI", "evidenced": "প্রমাণিত",
        "next_step": "ঢালের পরবর্তী ধাপ", "zone_now": "প্রমাণ কোথায় দাঁড়িয়ে",
        "incentivized": "প্রণোদিত পর্যালোচনা", "unverified": "অযাচাইকৃত পর্যালোচক",
        "verified_reviews": "{date} পর্যন্ত {platform}-এ {n}টি যাচাইকৃত পর্যালোচনা",
        "draft": "খসড়া — বিতরণের জন্য নয়",
        "model_note": "ROI = NPV / খরচের বর্তমান মূল্য; ঝুঁকি সমন্বয়ে সুবিধা কমানো ও খরচ বাড়ানো হয়েছে; "
                      "বার্ষিক অর্থ বছর শেষে {rate} হারে বাট্টাকৃত; প্রারম্ভিক অর্থ বাট্টাহীন।",
        "payback_note": "পেব্যাক: ঝুঁকি-সমন্বিত, বাট্টাহীন ক্রমবর্ধমান নিট নগদ প্রবাহ শূন্যে পৌঁছে আর নিচে না নামা পর্যন্ত যত মাস লাগে।",
        "attribution": "যৌথ ফলাফল: মডেলকৃত কৃতিত্ব ({method})",
        "shared_outcomes": "যৌথ ফলাফল",
        "contributor": "অবদানকারী", "share": "অংশ", "attributed": "কৃতিত্ব", "modelled_roi": "মডেলকৃত ROI",
        "segment.small_business": "ছোট ব্যবসা", "segment.mid_market": "মাঝারি বাজার", "segment.enterprise": "এন্টারপ্রাইজ",
        "stars": "৫-এর মধ্যে {n} তারা", "challenge": "চ্যালেঞ্জ", "solution": "সমাধান", "results": "ফলাফল",
        "executive_summary": "সংক্ষিপ্ত সার", "headline": "প্রধান ফলাফল",
        "your_results": "আপনার ফলাফল", "benchmark": "গবেষণার মানদণ্ড", "realised": "অর্জিত",
        "not_adopted": "পরবর্তী ব্যবহারের ক্ষেত্র", "similar_customers": "অনুরূপ গ্রাহকরা যা অর্জন করেছেন",
        "milestones": "প্রথম মাইলফলক", "look_for": "যা খেয়াল রাখবেন",
        "source": "উৎস",
        "risk": "ঝুঁকি", "unadjusted_total": "মোট (অসমন্বিত)", "unadjusted_pv": "বর্তমান মূল্য (অসমন্বিত)",
        "adjusted_total": "মোট (ঝুঁকি-সমন্বিত)", "adjusted_pv": "বর্তমান মূল্য (ঝুঁকি-সমন্বিত)",
        "line_results": "সুবিধা ও খরচ, অসমন্বিত ও ঝুঁকি-সমন্বিত",
        "risk_ranges": "ঝুঁকির পরিসর ও সংবেদনশীলতা", "p10": "p10", "p50": "p50 (মধ্যমা)", "p90": "p90",
        "p_roi_positive": "ROI > 0 হওয়ার সম্ভাবনা", "at_low": "ইনপুট সর্বনিম্নে", "at_high": "ইনপুট সর্বোচ্চে",
        "mc_note": "মন্টে কার্লো, {iterations}টি পুনরাবৃত্তি (সিড {seed}): {inputs} প্রতিটি পুনরাবৃত্তিতে একবার ত্রিভুজাকার "
                   "বণ্টন (সর্বনিম্ন, মান, সর্বোচ্চ) থেকে নেওয়া এবং প্রতি বছরে ব্যবহৃত; বাকি ইনপুট তাদের মানে; "
                   "প্রতিটি লাইনের ঝুঁকি সমন্বয় বহাল।",
        "sens_note": "একবারে একটি ইনপুট তার পরিসরের সর্বনিম্ন ও সর্বোচ্চ প্রান্তে, বাকি সব তাদের মানে রেখে নিট বর্তমান মূল্য "
                     "(মানগুলোতে নিট বর্তমান মূল্য: {npv})।",
        "unquantified_benefits": "অপরিমাপিত সুবিধা", "flexibility": "নমনীয়তা",
        "tei_note": "প্রমাণে দেখা গেছে, তবে ROI মডেলে মূল্য ধরা হয়নি।",
        "ref": "রেফ.", "metric": "পরিমাপ", "risk_adjustment": "ঝুঁকি সমন্বয়",
        "risk_adjusted": "{label} (ঝুঁকি-সমন্বিত)", "calculation": "হিসাব: {label}",
        "calc_note": "{years} বছরের মোট {total}; বর্তমান মূল্য {pv} ({rate} হারে বাট্টাকৃত)।",
        "when": "কখন", "milestone": "মাইলফলক", "days": "দিন {a}–{b}",
        "payback_milestone": "অনুরূপ গ্রাহকদের পেব্যাক (গবেষণার মডেল, ঝুঁকি-সমন্বিত)",
        "month_n": "মাস {n}",
        "exec_summary": "{publisher} {platform}-এ {reviews}টি যাচাইকৃত পর্যালোচনার বিপরীতে {vendor}-এর মূল্য প্রস্তাবগুলি যাচাই "
                        "করেছে। {years} বছরে ঝুঁকি-সমন্বিত মডেল অনুযায়ী ROI {roi}, নিট বর্তমান মূল্য {npv} এবং পেব্যাক {payback}।",
        "short.roi_pct": "NPV ÷ খরচের বর্তমান মূল্য, {years} বছর, ঝুঁকি-সমন্বিত",
        "short.npv": "{years} বছর, ঝুঁকি-সমন্বিত, {rate} বাট্টা",
        "short.payback_months": "ঝুঁকি-সমন্বিত, বাট্টাহীন",
        "short.pv_benefits": "{years} বছর, ঝুঁকি-সমন্বিত, {rate} বাট্টা",
        "short.pv_costs": "{years} বছর, ঝুঁকি-সমন্বিত, {rate} বাট্টা",
        "short.total_benefits": "{years} বছর, ঝুঁকি-সমন্বিত, বাট্টাহীন",
        "short.total_costs": "{years} বছর, ঝুঁকি-সমন্বিত, বাট্টাহীন",
        "short.classic_roi_pct": "(লাভ − খরচ) ÷ খরচ",
        "no_realised": "{account}-এর অর্জিত ফলাফলের তথ্য এখনো নেই: দেখানো সংখ্যাগুলো গবেষণার মানদণ্ড, এই অ্যাকাউন্টের ফলাফল নয়।",
        "no_realised_study": "অ্যাকাউন্টের তথ্য এখনো নেই: দেখানো সংখ্যাগুলো গবেষণার মানদণ্ড।",
        "analysts": "বিশ্লেষক", "published": "প্রকাশ", "evidence_as_of": "{date} পর্যন্ত প্রমাণ",
        "commissioned": "এই গবেষণার অর্থায়ন করেছে {who}।", "vendor_supplied": "{vendor} যা সরবরাহ করেছে: {items}।",
        "vendor_supplied_none": "{vendor} কোনো প্রমাণ সরবরাহ করেনি।",
        "reviews_read": "পর্যালোচনাগুলো {publisher} নিজে {platform}-এ পড়েছে; উদ্ধৃতি হুবহু।",
        "case_source": "উৎস: {items}", "review_source": "উৎস: {platform}-এর যাচাইকৃত পর্যালোচনা",
    },
    "th": {
        "method.equal": "แบ่งเท่ากัน", "method.cost_weighted": "ถ่วงน้ำหนักตามต้นทุน", "method.stated": "สัดส่วนที่ระบุ",
        "benchmark_net": "เกณฑ์จากการศึกษา: กระแสเงินสดสุทธิรายปี",
        "your_results_to_date": "ผลลัพธ์ของคุณถึงปัจจุบัน",
        "period": "ช่วงเวลา", "net_short": "สุทธิ", "total_to_date": "รวมถึงปัจจุบัน",
        "value_vs_benchmark": "มูลค่าของคุณเทียบกับเกณฑ์จากการศึกษา", "realised_over_time": "มูลค่าที่เกิดขึ้นจริงตามช่วงเวลา",
        "attributable": "ระบุที่มาได้", "transformational": "เชิงเปลี่ยนแปลง", "efficiency": "ประสิทธิภาพ",
        "need": "ความจำเป็น", "indirect": "ทางอ้อม",
        "winning": "โซนแห่งชัยชนะ", "competitive": "โซนการแข่งขัน", "instability": "โซนความไม่มั่นคง",
        "roi_pct": "ROI", "npv": "มูลค่าปัจจุบันสุทธิ", "payback_months": "ระยะคืนทุน", "pv_benefits": "มูลค่าปัจจุบันของผลประโยชน์",
        "pv_costs": "มูลค่าปัจจุบันของต้นทุน", "total_benefits": "ผลประโยชน์รวม", "total_costs": "ต้นทุนรวม",
        "classic_roi_pct": "ROI แบบดั้งเดิม", "undiscounted_roi_pct": "ROI ไม่คิดลด",
        "benefits": "ผลประโยชน์", "costs": "ต้นทุน", "net": "กระแสเงินสดสุทธิ", "cumulative": "กระแสเงินสดสุทธิสะสม",
        "initial": "เริ่มต้น", "year": "ปีที่ {n}", "total": "รวม", "present_value": "มูลค่าปัจจุบัน",
        "months": "เดือน", "beyond_horizon": "เกินกรอบเวลา",
        "continued": "{title} (ต่อ)",
        "use_cases": "กรณีการใช้งาน", "value_props": "คุณค่าที่พิสูจน์แล้ว", "methodology": "ระเบียบวิธี",
        "roi_model": "แบบจำลอง ROI", "framework": "ROI ห้าประเภท", "evidenced": "มีหลักฐาน",
        "next_step": "ขั้นต่อไปบนทางลาด", "zone_now": "หลักฐานอยู่ตรงไหน",
        "incentivized": "รีวิวที่ได้รับสิ่งจูงใจ", "unverified": "ผู้รีวิวที่ยังไม่ยืนยัน",
        "verified_reviews": "รีวิวที่ยืนยันแล้ว {n} รายการบน {platform} ณ วันที่ {date}",
        "draft": "ฉบับร่าง — ห้ามเผยแพร่",
        "model_note": "ROI = NPV / มูลค่าปัจจุบันของต้นทุน; ปรับความเสี่ยงโดยลดผลประโยชน์และเพิ่มต้นทุน; "
                      "คิดลดรายปีที่อัตรา {rate} ณ สิ้นปี; จำนวนเริ่มต้นไม่คิดลด",
        "payback_note": "ระยะคืนทุน: จำนวนเดือนจนกระแสเงินสดสุทธิสะสมที่ปรับความเสี่ยงและไม่คิดลดถึงศูนย์และไม่ติดลบอีก",
        "attribution": "ผลลัพธ์ร่วม: การแบ่งเครดิตตามแบบจำลอง ({method})",
        "shared_outcomes": "ผลลัพธ์ร่วม",
        "contributor": "ผู้มีส่วนร่วม", "share": "สัดส่วน", "attributed": "เครดิต", "modelled_roi": "ROI ตามแบบจำลอง",
        "segment.small_business": "ธุรกิจขนาดเล็ก", "segment.mid_market": "ตลาดระดับกลาง", "segment.enterprise": "องค์กรขนาดใหญ่",
        "stars": "{n} จาก 5 ดาว", "challenge": "ความท้าทาย", "solution": "แนวทางแก้ไข", "results": "ผลลัพธ์",
        "executive_summary": "บทสรุปผู้บริหาร", "headline": "ผลลัพธ์หลัก",
        "your_results": "ผลลัพธ์ของคุณ", "benchmark": "เกณฑ์จากการศึกษา", "realised": "ที่เกิดขึ้นจริง",
        "not_adopted": "กรณีการใช้งานถัดไป", "similar_customers": "สิ่งที่ลูกค้าที่คล้ายกันได้รับ",
        "milestones": "หมุดหมายแรก", "look_for": "สิ่งที่ควรติดตาม",
        "source": "แหล่งที่มา",
        "risk": "ความเสี่ยง", "unadjusted_total": "รวม (ก่อนปรับ)", "unadjusted_pv": "มูลค่าปัจจุบัน (ก่อนปรับ)",
        "adjusted_total": "รวม (ปรับความเสี่ยง)", "adjusted_pv": "มูลค่าปัจจุบัน (ปรับความเสี่ยง)",
        "line_results": "ผลประโยชน์และต้นทุน ก่อนและหลังปรับความเสี่ยง",
        "risk_ranges": "ช่วงความเสี่ยงและความอ่อนไหว", "p10": "p10", "p50": "p50 (มัธยฐาน)", "p90": "p90",
        "p_roi_positive": "ความน่าจะเป็นที่ ROI > 0", "at_low": "ข้อมูลที่ค่าต่ำสุด", "at_high": "ข้อมูลที่ค่าสูงสุด",
        "mc_note": "มอนติคาร์โล {iterations} รอบ (ซีด {seed}): สุ่ม {inputs} รอบละหนึ่งครั้งจากการแจกแจงสามเหลี่ยม "
                   "(ต่ำสุด ค่า สูงสุด) และใช้กับทุกปี ข้อมูลอื่นใช้ค่าตามที่ระบุ ทุกบรรทัดยังคงการปรับความเสี่ยงไว้",
        "sens_note": "มูลค่าปัจจุบันสุทธิเมื่อปรับข้อมูลทีละตัวไปที่ค่าต่ำสุดและสูงสุดของช่วง ข้อมูลอื่นใช้ค่าตามที่ระบุ "
                     "(มูลค่าปัจจุบันสุทธิที่ค่าตามที่ระบุ: {npv})",
        "unquantified_benefits": "ผลประโยชน์ที่ไม่ได้คิดเป็นตัวเงิน", "flexibility": "ความยืดหยุ่น",
        "tei_note": "หลักฐานแสดงให้เห็น แต่ไม่ได้นำมาคิดมูลค่าในแบบจำลอง ROI",
        "ref": "อ้างอิง", "metric": "ตัวชี้วัด", "risk_adjustment": "การปรับความเสี่ยง",
        "risk_adjusted": "{label} (ปรับความเสี่ยงแล้ว)", "calculation": "การคำนวณ: {label}",
        "calc_note": "รวม {years} ปี {total} มูลค่าปัจจุบัน {pv} (คิดลดที่ {rate})",
        "when": "เมื่อใด", "milestone": "หมุดหมาย", "days": "วันที่ {a}–{b}",
        "payback_milestone": "ลูกค้าที่คล้ายกันคืนทุน (แบบจำลองการศึกษา ปรับความเสี่ยง)",
        "month_n": "เดือนที่ {n}",
        "exec_summary": "{publisher} ตรวจสอบคุณค่าที่ {vendor} นำเสนอเทียบกับรีวิวที่ยืนยันแล้ว {reviews} รายการบน {platform} "
                        "ตลอด {years} ปี แบบจำลองที่ปรับความเสี่ยงให้ ROI {roi} มูลค่าปัจจุบันสุทธิ {npv} และคืนทุนใน {payback}",
        "short.roi_pct": "NPV ÷ มูลค่าปัจจุบันของต้นทุน {years} ปี ปรับความเสี่ยง",
        "short.npv": "{years} ปี ปรับความเสี่ยง คิดลด {rate}",
        "short.payback_months": "ปรับความเสี่ยง ไม่คิดลด",
        "short.pv_benefits": "{years} ปี ปรับความเสี่ยง คิดลด {rate}",
        "short.pv_costs": "{years} ปี ปรับความเสี่ยง คิดลด {rate}",
        "short.total_benefits": "{years} ปี ปรับความเสี่ยง ไม่คิดลด",
        "short.total_costs": "{years} ปี ปรับความเสี่ยง ไม่คิดลด",
        "short.classic_roi_pct": "(ผลได้ − ต้นทุน) ÷ ต้นทุน",
        "no_realised": "ยังไม่มีข้อมูลผลลัพธ์จริงของ {account} ตัวเลขที่แสดงคือเกณฑ์จากการศึกษา ไม่ใช่ผลลัพธ์ของบัญชีนี้",
        "no_realised_study": "ยังไม่มีข้อมูลของบัญชี ตัวเลขที่แสดงคือเกณฑ์จากการศึกษา",
        "analysts": "นักวิเคราะห์", "published": "เผยแพร่", "evidence_as_of": "หลักฐาน ณ วันที่ {date}",
        "commissioned": "ว่าจ้างโดย {who}", "vendor_supplied": "{vendor} จัดหา: {items}",
        "vendor_supplied_none": "{vendor} ไม่ได้จัดหาหลักฐาน",
        "reviews_read": "{publisher} อ่านรีวิวบน {platform} ด้วยตนเอง คำพูดอ้างอิงคงไว้ตามต้นฉบับ",
        "case_source": "แหล่งที่มา: {items}", "review_source": "แหล่งที่มา: รีวิวที่ยืนยันแล้วบน {platform}",
    },
}
for _lang, _words in SOURCE_LABELS.items():  # speaker-note sources: the deck's language too
    LABELS[_lang].update(_words)


# One term per concept in each language: the term the labels use, and the synonyms they
# must not (tests/test_locale_text.py checks every UI text table: these labels, the stage
# calls to action in layouts/stages.yaml and the bundled kits' footers and legal lines).
TERMS: dict[str, dict[str, tuple[str, tuple[str, ...]]]] = {
    "en": {
        "zone": ("zone", ("area", "region")), "benchmark": ("benchmark", ("baseline",)),
        "realised": ("realised", ("realized",)), "modelled": ("modelled", ("modeled",)),
        "use case": ("use case", ("use-case", "scenario")), "review": ("review", ("testimonial",)),
        "payback": ("payback", ("pay-back", "break-even")), "cost": ("cost", ("expense",)),
    },
    "bn": {
        "zone": ("অঞ্চল", ("এলাকা", "জোন")), "benchmark": ("মানদণ্ড", ("বেঞ্চমার্ক",)),
        "review": ("পর্যালোচনা", ("রিভিউ",)), "cost": ("খরচ", ("ব্যয়",)), "benefit": ("সুবিধা", ("উপকার", "বেনিফিট")),
        "undiscounted": ("বাট্টাহীন", ("অবাট্টাকৃত",)), "discount": ("বাট্টা", ("ছাড়", "ডিসকাউন্ট")),
        "source": ("উৎস", ("সূত্র",)), "use case": ("ব্যবহারের ক্ষেত্র", ("ইউজ কেস",)),
        "study": ("গবেষণা", ("সমীক্ষা",)), "realised": ("অর্জিত", ("বাস্তবায়িত",)),
        "risk-adjusted": ("ঝুঁকি-সমন্বিত", ("ঝুঁকি সমন্বিত", "ঝুঁকি-সংশোধিত")),
    },
    "th": {
        "zone": ("โซน", ("เขต", "พื้นที่")), "benchmark": ("เกณฑ์", ("เบนช์มาร์ก", "มาตรฐานอ้างอิง")),
        "model": ("แบบจำลอง", ("โมเดล",)), "review": ("รีวิว", ("บทวิจารณ์",)), "cost": ("ต้นทุน", ("ค่าใช้จ่าย",)),
        "discount": ("คิดลด", ("ส่วนลด",)), "use case": ("กรณีการใช้งาน", ("ยูสเคส",)),
        "study": ("การศึกษา", ("งานศึกษา",)), "methodology": ("ระเบียบวิธี", ("วิธีวิทยา",)),
        "account": ("บัญชี", ("ลูกค้าองค์กร",)),
    },
}


def labels(language: str) -> dict[str, str]:
    """Labels for a BCP 47 tag, by primary language, English for anything else."""
    base = language.split("-")[0].lower()
    return LABELS.get(base, LABELS["en"])


def label(language: str, key: str, **values: object) -> str:
    text = labels(language).get(key) or LABELS["en"][key]
    return text.format(**values) if values else text
