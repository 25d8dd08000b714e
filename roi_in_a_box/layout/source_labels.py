"""The words of speaker-note sources ("Sources: …", where each figure and quote comes
from), per language; merged into :data:`roi_in_a_box.layout.i18n.LABELS`.

Kept apart from the document labels because they are only read by a presenter: ids,
URLs, platform and vendor names stay as the spec writes them, every other word is the
deck's language.
"""

from __future__ import annotations

SOURCE_LABELS: dict[str, dict[str, str]] = {
    "en": {
        "src.sources": "Sources: {items}",
        "src.published": "{publisher}, published {date}; evidence as of {as_of}.",
        "src.review": "{platform} review {id} ({url}), {date}",
        "src.study": "study {id}: publisher, analysts, dates; vendor {vendor}: {platform} review count {n}",
        "src.review_count": "{platform} review count {n}",
        "src.model": "engine ROI model ({definition})",
        "src.model_plain": "engine ROI model",
        "src.account_model": "account {id}'s own metrics through the engine ROI model ({definition})",
        "src.evidence": "evidence {ids}",
        "src.value_prop": "value prop {id}: evidence {ids}",
        "src.use_case": "use case {id}",
        "src.framework": "ROI types of value props and benefit lines with verified evidence",
        "src.line": "{id}: {label} (evidence: {ids})",
        "src.with_evidence": "{text} (evidence: {ids})",
        "src.spec": "spec",
        "src.monte_carlo": "engine Monte Carlo: {iterations} iterations, seed {seed}, {distribution}",
        "dist.triangular": "triangular",
        "src.range": "{ref} {label}: range {low} … {high}",
        "src.case_study": "case study {id}",
        "src.case_metrics": "case study {id} metrics",
        "src.shared_outcome": "shared outcome {id}: {label}",
        "src.account_own": "account {id}: its own metrics through the study's model",
        "src.account_metrics": "account {id} metrics through the study's model",
        "src.benchmark_model": "study benchmark: engine ROI model",
        "src.chart_actuals": "account {id}: its actuals per period as reported; study benchmark: engine ROI model, "
                             "each year's risk-adjusted net spread evenly over its quarters",
        "src.chart_own": "account {id}: its own metrics through the study's model; study benchmark: engine ROI model",
        "src.table_actuals": "account {id}: its actuals per period as reported; study benchmark: engine ROI model, "
                             "net per period",
        "src.table_own": "account {id}: its yearly amounts through the study's model (risk-adjusted); study "
                         "benchmark: engine ROI model, net per period",
        "src.payback": "payback {months}: engine ROI model ({definition})",
    },
    "bn": {
        "src.sources": "উৎস: {items}",
        "src.published": "{publisher}, প্রকাশ {date}; {as_of} পর্যন্ত প্রমাণ।",
        "src.review": "{platform} পর্যালোচনা {id} ({url}), {date}",
        "src.study": "গবেষণা {id}: প্রকাশক, বিশ্লেষক, তারিখ; বিক্রেতা {vendor}: {platform}-এ পর্যালোচনার সংখ্যা {n}",
        "src.review_count": "{platform}-এ পর্যালোচনার সংখ্যা {n}",
        "src.model": "ইঞ্জিনের ROI মডেল ({definition})",
        "src.model_plain": "ইঞ্জিনের ROI মডেল",
        "src.account_model": "অ্যাকাউন্ট {id}-এর নিজস্ব পরিমাপ, ইঞ্জিনের ROI মডেলে ({definition})",
        "src.evidence": "প্রমাণ {ids}",
        "src.value_prop": "মূল্য প্রস্তাব {id}: প্রমাণ {ids}",
        "src.use_case": "ব্যবহারের ক্ষেত্র {id}",
        "src.framework": "যাচাইকৃত প্রমাণসহ মূল্য প্রস্তাব ও সুবিধার খাতগুলোর ROI ধরন",
        "src.line": "{id}: {label} (প্রমাণ: {ids})",
        "src.with_evidence": "{text} (প্রমাণ: {ids})",
        "src.spec": "গবেষণার তথ্য",
        "src.monte_carlo": "ইঞ্জিনের মন্টে কার্লো: {iterations}টি পুনরাবৃত্তি, সিড {seed}, {distribution} বণ্টন",
        "dist.triangular": "ত্রিভুজাকার",
        "src.range": "{ref} {label}: পরিসর {low} … {high}",
        "src.case_study": "কেস স্টাডি {id}",
        "src.case_metrics": "কেস স্টাডি {id}-এর পরিমাপ",
        "src.shared_outcome": "যৌথ ফলাফল {id}: {label}",
        "src.account_own": "অ্যাকাউন্ট {id}: গবেষণার মডেলে এর নিজস্ব পরিমাপ",
        "src.account_metrics": "গবেষণার মডেলে অ্যাকাউন্ট {id}-এর পরিমাপ",
        "src.benchmark_model": "গবেষণার মানদণ্ড: ইঞ্জিনের ROI মডেল",
        "src.chart_actuals": "অ্যাকাউন্ট {id}: প্রতি সময়কালে জানানো অর্জিত অর্থ; গবেষণার মানদণ্ড: ইঞ্জিনের ROI মডেল, "
                             "প্রতি বছরের ঝুঁকি-সমন্বিত নিট তার ত্রৈমাসিকগুলোতে সমানভাবে ভাগ করা",
        "src.chart_own": "অ্যাকাউন্ট {id}: গবেষণার মডেলে এর নিজস্ব পরিমাপ; গবেষণার মানদণ্ড: ইঞ্জিনের ROI মডেল",
        "src.table_actuals": "অ্যাকাউন্ট {id}: প্রতি সময়কালে জানানো অর্জিত অর্থ; গবেষণার মানদণ্ড: ইঞ্জিনের ROI মডেল, "
                             "প্রতি সময়কালের নিট",
        "src.table_own": "অ্যাকাউন্ট {id}: গবেষণার মডেলে এর বার্ষিক অর্থ (ঝুঁকি-সমন্বিত); গবেষণার মানদণ্ড: "
                         "ইঞ্জিনের ROI মডেল, প্রতি সময়কালের নিট",
        "src.payback": "পেব্যাক {months}: ইঞ্জিনের ROI মডেল ({definition})",
    },
    "th": {
        "src.sources": "แหล่งที่มา: {items}",
        "src.published": "{publisher} เผยแพร่ {date}; หลักฐาน ณ วันที่ {as_of}",
        "src.review": "รีวิวบน {platform} {id} ({url}), {date}",
        "src.study": "การศึกษา {id}: ผู้เผยแพร่ นักวิเคราะห์ และวันที่; ผู้ขาย {vendor}: จำนวนรีวิวบน {platform} {n}",
        "src.review_count": "จำนวนรีวิวบน {platform} {n}",
        "src.model": "แบบจำลอง ROI ของระบบ ({definition})",
        "src.model_plain": "แบบจำลอง ROI ของระบบ",
        "src.account_model": "ตัวชี้วัดของบัญชี {id} เอง ผ่านแบบจำลอง ROI ของระบบ ({definition})",
        "src.evidence": "หลักฐาน {ids}",
        "src.value_prop": "คุณค่าที่นำเสนอ {id}: หลักฐาน {ids}",
        "src.use_case": "กรณีการใช้งาน {id}",
        "src.framework": "ประเภท ROI ของคุณค่าที่นำเสนอและรายการผลประโยชน์ที่มีหลักฐานยืนยัน",
        "src.line": "{id}: {label} (หลักฐาน: {ids})",
        "src.with_evidence": "{text} (หลักฐาน: {ids})",
        "src.spec": "ข้อมูลการศึกษา",
        "src.monte_carlo": "มอนติคาร์โลของระบบ: {iterations} รอบ ซีด {seed} การแจกแจง{distribution}",
        "dist.triangular": "สามเหลี่ยม",
        "src.range": "{ref} {label}: ช่วง {low} … {high}",
        "src.case_study": "กรณีศึกษา {id}",
        "src.case_metrics": "ตัวชี้วัดของกรณีศึกษา {id}",
        "src.shared_outcome": "ผลลัพธ์ร่วม {id}: {label}",
        "src.account_own": "บัญชี {id}: ตัวชี้วัดของบัญชีเองผ่านแบบจำลองของการศึกษา",
        "src.account_metrics": "ตัวชี้วัดของบัญชี {id} ผ่านแบบจำลองของการศึกษา",
        "src.benchmark_model": "เกณฑ์จากการศึกษา: แบบจำลอง ROI ของระบบ",
        "src.chart_actuals": "บัญชี {id}: ผลจริงแต่ละช่วงเวลาตามที่รายงาน; เกณฑ์จากการศึกษา: แบบจำลอง ROI ของระบบ "
                             "โดยกระจายผลสุทธิที่ปรับความเสี่ยงของแต่ละปีเท่ากันทุกไตรมาส",
        "src.chart_own": "บัญชี {id}: ตัวชี้วัดของบัญชีเองผ่านแบบจำลองของการศึกษา; เกณฑ์จากการศึกษา: แบบจำลอง ROI ของระบบ",
        "src.table_actuals": "บัญชี {id}: ผลจริงแต่ละช่วงเวลาตามที่รายงาน; เกณฑ์จากการศึกษา: แบบจำลอง ROI ของระบบ "
                             "ผลสุทธิต่อช่วงเวลา",
        "src.table_own": "บัญชี {id}: จำนวนเงินรายปีผ่านแบบจำลองของการศึกษา (ปรับความเสี่ยงแล้ว); เกณฑ์จากการศึกษา: "
                         "แบบจำลอง ROI ของระบบ ผลสุทธิต่อช่วงเวลา",
        "src.payback": "ระยะคืนทุน {months}: แบบจำลอง ROI ของระบบ ({definition})",
    },
}
