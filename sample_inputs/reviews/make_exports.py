"""Generate the fictional review-platform exports for the three sample studies.

Run from the repository root:  python sample_inputs/reviews/make_exports.py

Everything here is invented: Ledgerly, Ghatbox, Shiftsabai, every reviewer, company,
review id and URL.  Two export layouts are written so the importer's mapping files are
exercised on genuinely different shapes:

* ``*_g2like.csv``: a G2-style CSV export (human column headers, M/D/YYYY dates,
  1-5 stars, "Yes"/"No" flags, company size as G2 writes it);
* ``*_peerpanel.jsonl``: a JSON-lines export from "PeerPanel", a made-up second
  platform (nested records, ISO timestamps, ratings out of 10, badges list).

Each vendor's reviews include the sample spec's existing quotes (same review ids, same
verbatim text, so those quotes trace to imported reviews), planted reviews that support
each value prop, unrelated reviews, exact duplicate rows, reviews syndicated to the second
platform under a new id (same text), two reviews dated after the study's as-of date, and a
few bad rows.  ``planted.json`` is the answer key the tests use: which review keys were
written to support which value prop and which are unrelated.  Fixed seed: re-running the
script reproduces the files byte for byte.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
SAMPLES = HERE.parent
SEED = 20261015
AS_OF = dt.date(2026, 9, 30)

CSV_HEADER = ["Review ID", "Review URL", "Date Submitted", "Star Rating", "Reviewer Name", "Reviewer Title",
              "Company Size", "Industry", "Validated Reviewer", "Verified Current User", "Incentivized Review",
              "Review Title", "What do you like best about the product?", "What do you dislike about the product?",
              "What problems is the product solving and how is that benefiting you?"]
G2_SIZE = {"small_business": "Small-Business(50 or fewer emp.)", "mid_market": "Mid-Market(51-1000 emp.)",
           "enterprise": "Enterprise(> 1000 emp.)"}
PP_SIZE = {"small_business": ["1-10", "11-50"], "mid_market": ["51-200", "201-1000"],
           "enterprise": ["1001-5000", "5001+"]}

BN_DIGITS = str.maketrans("0123456789", "০১২৩৪৫৬৭৮৯")

# --------------------------------------------------------------------------------------
# Text pools.  {n}, {m}, {k} are filled with small numbers; Bengali gets Bengali digits.
# "ctx": an opening sentence; "core": sentences that carry the value prop; "like": a
# 'like best' answer about it.  Unrelated reviews draw on the generic pools.
# --------------------------------------------------------------------------------------

EN = {
    "vp-close-days": {
        "ctx": ["Before Ledgerly our close lived in a spreadsheet checklist and a lot of email.",
                "We are a lean finance team closing several entities every month.",
                "Month-end used to mean weekends for the whole accounting team.",
                "Our close process had grown messy as the company added entities."],
        "core": ["Our month-end close went from {n} working days to {m}.",
                 "The close checklist and task dependencies mean nobody waits on an email to start their reconciliations.",
                 "We now close the books {k} days faster than before we went live.",
                 "The shared close calendar shows every task owner and due day, so the close no longer drags into a second week.",
                 "Preparers start the moment upstream tasks are signed off, which took days out of our month-end close.",
                 "Our controller sees which entity is holding up the close and we finish days earlier.",
                 "Within two quarters of going live we cut {k} working days from the close."],
        "like": ["The close calendar and task dependencies: the whole team knows what is blocking the close.",
                 "How much faster our month-end close runs now.",
                 "Close checklists that roll forward every month with owners and due days."],
    },
    "vp-recovered-cash": {
        "ctx": ["We reconcile thousands of bank, card and intercompany lines a month.",
                "Our AP volume is high and spreadsheets were not catching everything.",
                "Reconciliations were mostly tick-and-tie in Excel before this."],
        "core": ["The exceptions queue caught a duplicate vendor payment of ${n}k that spreadsheets had missed.",
                 "Auto-matching clears most bank lines and only the exceptions reach a reviewer; one of those exceptions was a ${n}k duplicate payment.",
                 "We cleaned up ${m}k of stale suspense balances and avoided write-offs at year end.",
                 "Matching rules flagged an intercompany balance that had been wrong for months, worth about ${n}k.",
                 "The cash we recovered from duplicate payments paid for the subscription in the first quarter.",
                 "Aging on unreconciled items surfaced stale balances we wrote back instead of writing off."],
        "like": ["The exceptions queue. It finds the duplicate payments and stale balances we used to miss.",
                 "Auto-matching rules and the exception workflow for reconciliation.",
                 "It finds real money: duplicate payments and stale suspense items."],
    },
    "vp-audit-ready": {
        "ctx": ["We are PE-backed and the audit is a big event every year.",
                "As a public company SOX is not optional for us."],
        "core": ["Our auditors pull support straight from Ledgerly, so PBC requests dropped sharply.",
                 "Sign-offs and timestamps on every reconciliation made SOX testing painless.",
                 "Audit fieldwork finished about a week earlier than the year before because the evidence was already attached."],
        "like": ["Evidence attached to every reconciliation for the auditors.",
                 "Auditor access: they self-serve support instead of sending long PBC lists."],
    },
    "vp-real-time": {
        "ctx": ["We wanted finance to stop being a rear-view mirror.",
                "Our CFO pushed for continuous accounting last year."],
        "core": ["Continuous reconciliation means we catch variances mid-month instead of after the close.",
                 "Flux analysis runs every week, so controllers act on variances while they still matter.",
                 "It changed how finance works with the business: we steer the month instead of reporting on it.",
                 "Nobody on the team would go back to reconciling everything after month end.",
                 "Reconciling continuously through the month changed our operating rhythm with the plants."],
        "like": ["Continuous reconciliation and mid-month flux review.",
                 "We see variances in real time and act on them during the month."],
    },
}
EN_GENERIC = {
    "like": ["Support answers within the hour and actually knows accounting.",
             "Clean interface, easy to learn for new hires.",
             "The ERP connector worked on day one.",
             "Role-based permissions are straightforward to set up.",
             "Good value for the price compared with the big suites.",
             "The onboarding team was organised and patient.",
             "Multi-currency handling works well for our European entities.",
             "The customer success manager checks in every quarter.",
             "Single sign-on with our identity provider was simple.",
             "Dashboards are easy to share with the leadership team.",
             "Templates are easy to copy between entities.",
             "Very stable, we have had no outages that I can remember."],
    "dislike": ["Report customisation is limited, board packs still need an export to Excel.",
                "Notifications can get noisy until you tune them.",
                "The mobile view is basic.",
                "Pricing went up at renewal.",
                "Some settings are buried three menus deep.",
                "Bulk editing of tasks could be better.",
                "The API documentation could use more examples.",
                "Occasional slowness when loading very large workbooks."],
    "problems": ["It gives the finance team one place to collaborate instead of shared drives.",
                 "We outgrew our old tool and needed something that scales with new entities.",
                 "It replaced a patchwork of macros that only one person understood.",
                 "New team members get up to speed quickly because everything is documented in the tool.",
                 "It helps us keep our accounting policies and procedures in one place.",
                 "We needed better access controls for a growing team.",
                 "It connects to our ERP and our data warehouse without custom scripts.",
                 "The vendor has been a good partner as our needs changed."],
    "titles": ["Solid tool for a growing finance team", "Great support, good product", "Does what it says",
               "Worth it", "Easy to roll out", "Good but reporting needs work", "Reliable and well supported"],
    "roles": ["Controller", "Senior Accountant", "Staff Accountant", "Accounting Manager", "Assistant Controller",
              "VP Finance", "CFO", "Finance Director", "Director of Accounting", "Revenue Accountant",
              "Fractional CFO", "Finance Operations Lead"],
    "industries": ["Retail", "Computer Software", "Hospital and Health Care", "Logistics and Supply Chain",
                   "Industrial Manufacturing", "Non-Profit Organization Management", "Construction",
                   "Financial Services", "Insurance", "Real Estate", "Marketing and Advertising", "Accounting"],
    "names": ["Alex P.", "Jordan K.", "Sam R.", "Chris M.", "Taylor B.", "Morgan L.", "Jamie S.", "Riley D.",
              "Casey H.", "Avery N.", "Quinn F.", "Drew C."],
}

BN = {
    "vp-more-outlets": {
        "ctx": ["আমাদের কোম্পানিতে ৪০ জনের বেশি এসআর মাঠে কাজ করে।", "আগে সব অর্ডার খাতায় লেখা হতো।",
                "আমরা ঢাকার বাইরে কয়েকটি জেলায় পণ্য বিতরণ করি।"],
        "core": ["অ্যাপ চালুর পর আমাদের এসআররা প্রতিদিন আগের চেয়ে বেশি দোকানে যেতে পারছে।",
                 "দোকানে দাঁড়িয়েই মোবাইল অ্যাপে অর্ডার নেওয়া যায়, খাতায় লিখে সন্ধ্যায় অফিসে এসে আবার তোলার ঝামেলা নেই।",
                 "অর্ডার সরাসরি গুদামে চলে যায়, তাই পরদিন সকালেই ডেলিভারি ভ্যান লোড হয়।",
                 "রুট ধরে অর্ডার নেওয়ায় একজন এসআর দিনে {n}টির বেশি দোকান কভার করছে।",
                 "কাগজপত্রের কাজ কমে যাওয়ায় এসআরদের প্রতিদিন অনেক সময় বাঁচছে, তারা আরও বেশি দোকানে যাচ্ছে।",
                 "এসআর অ্যাপে অর্ডার নেওয়ার পর থেকে দোকানপ্রতি অর্ডার তোলার সময় অর্ধেক হয়ে গেছে।"],
        "like": ["এসআর অ্যাপে দোকানে বসেই অর্ডার নেওয়া যায়।", "প্রতিদিন বেশি দোকানে যাওয়া যাচ্ছে, খাতা লাগে না।",
                 "অর্ডার সাথে সাথে গুদামে পৌঁছে যায়।"],
    },
    "vp-less-expiry": {
        "ctx": ["আমরা খাদ্য ও পানীয় পণ্যের ডিস্ট্রিবিউটর, মেয়াদের হিসাব আমাদের জন্য খুব জরুরি।",
                "আমাদের ছয়টি ডিপোতে হাজারো ব্যাচের স্টক থাকে।"],
        "core": ["ব্যাচ ও মেয়াদ শেষের তারিখ ধরে স্টক দেখা যায়, তাই মেয়াদ ঘনিয়ে আসা পণ্য আগেভাগে অন্য রুটে পাঠাই।",
                 "প্রথম বছরেই মেয়াদোত্তীর্ণ পণ্যের ক্ষতি প্রায় {n}% কমেছে।",
                 "কোন ডিপোতে কোন ব্যাচ পড়ে আছে তা এক পর্দায় দেখা যায়, ফলে মেয়াদোত্তীর্ণ স্টক জমে না।",
                 "মেয়াদ শেষের আগে সতর্কবার্তা পাওয়ায় নষ্ট হওয়া পণ্যের ক্ষতি অনেক কমেছে, বছরে কয়েক লক্ষ টাকা বাঁচছে।",
                 "ডিপো থেকে ডিপোতে স্থানান্তরের কারণে মেয়াদোত্তীর্ণ পণ্য ফেরত আসা প্রায় বন্ধ হয়েছে।"],
        "like": ["মেয়াদ শেষের তারিখ ধরে ব্যাচভিত্তিক স্টক দেখা যায়।", "মেয়াদোত্তীর্ণ পণ্যের ক্ষতি কমেছে।"],
    },
    "vp-vat-ready": {
        "ctx": ["আমরা ওষুধ ডিস্ট্রিবিউটর, ভ্যাট নিয়ম মানা আমাদের জন্য বাধ্যতামূলক।",
                "আগে প্রতিদিন শত শত চালান হাতে লেখা হতো।"],
        "core": ["অর্ডার থেকেই মূসক-৬.৩ চালান স্বয়ংক্রিয়ভাবে তৈরি হয়, হাতে লেখার ঝামেলা নেই।",
                 "গত ভ্যাট অডিটে সব চালান এক জায়গা থেকে দেখাতে পেরেছি, কোনো জরিমানা হয়নি।",
                 "মাসিক ভ্যাট রিটার্নের হিসাব এখন আর আলাদা করে মেলাতে হয় না।",
                 "ভ্যাট অডিটের সময় অডিটর নিজেই চালান ও রিটার্নের হিসাব দেখে নেন।"],
        "like": ["স্বয়ংক্রিয় মূসক চালান আর ভ্যাট রিটার্নের প্রস্তুত হিসাব।", "ভ্যাট অডিটের প্রস্তুতি সহজ হয়েছে।"],
    },
    "vp-credit-transform": {
        "ctx": ["আমাদের ব্যবসার বড় অংশ বাকিতে চলে।", "খুচরা দোকানগুলোর কাছে আমাদের অনেক টাকা বাকি পড়ে থাকত।"],
        "core": ["খুচরা বিক্রেতারা মোবাইল ব্যাংকিংয়ে পেমেন্ট করলে সাথে সাথে হিসাবে মিলে যায়।",
                 "কোন দোকানকে কত বাকি দেওয়া নিরাপদ, তা এখন ডেটা দেখে ঠিক করি।",
                 "বাকি আদায় নিয়ে মাস শেষের মাথাব্যথা আর নেই, মোবাইল পেমেন্ট সরাসরি হিসাবে ওঠে।",
                 "দোকানভিত্তিক ক্রেডিট সীমা চালুর পর আমাদের বাকির ব্যবসার ধরনটাই বদলে গেছে।"],
        "like": ["মোবাইল পেমেন্ট সাথে সাথে হিসাবে মিলে যায়।", "দোকানভিত্তিক ক্রেডিট সীমা ডেটা দেখে ঠিক করা যায়।"],
    },
}
BN_GENERIC = {
    "like": ["সাপোর্ট টিম বাংলায় সব বুঝিয়ে দেয়।", "ইন্টারফেস সহজ, নতুন কর্মীরাও দ্রুত শিখে ফেলে।",
             "দাম আমাদের সাধ্যের মধ্যে।", "বাস্তবায়ন দল খুব আন্তরিক ছিল।", "অ্যাপটা বাংলায় ব্যবহার করা যায়।",
             "হিসাব সফটওয়্যারের সাথে সংযোগ ভালো কাজ করে।", "ড্যাশবোর্ড দেখতে পরিষ্কার।",
             "নিয়মিত নতুন ফিচার আসে।", "প্রশিক্ষণের ভিডিওগুলো কাজে লেগেছে।"],
    "dislike": ["ইন্টারনেট দুর্বল থাকলে অ্যাপ মাঝে মাঝে ধীর চলে।", "রিপোর্ট নিজের মতো সাজানোর সুযোগ কম।",
                "দাম প্রতি বছর একটু করে বাড়ছে।", "কিছু মেনু খুঁজে পেতে সময় লাগে।", "পুরনো অ্যান্ড্রয়েড ফোনে অ্যাপ ভারী লাগে।",
                "নোটিফিকেশন একটু বেশি আসে।"],
    "problems": ["পুরো দলের কাজ এক জায়গায় এসেছে।", "পুরনো সফটওয়্যার আমাদের ব্যবসার সাথে আর তাল মেলাতে পারছিল না।",
                 "নতুন কর্মীদের কাজ শেখানো সহজ হয়েছে।", "অফিসের সবার মধ্যে যোগাযোগ ভালো হয়েছে।",
                 "ব্যবস্থাপনা দলের জন্য সাপ্তাহিক মিটিংয়ের তথ্য এক জায়গায় পাই।", "কর্মীদের অনুমতি আলাদা করে ঠিক করা যায়।"],
    "titles": ["ভালো সফটওয়্যার", "সাপোর্ট চমৎকার", "দামের তুলনায় ভালো", "কাজের জিনিস", "মোটামুটি ভালো"],
    "roles": ["বিক্রয় ব্যবস্থাপক", "সাপ্লাই চেইন প্রধান", "হিসাবরক্ষণ ব্যবস্থাপক", "আইটি ব্যবস্থাপক", "অপারেশন ব্যবস্থাপক",
              "গুদাম ব্যবস্থাপক", "মালিক ও ব্যবস্থাপনা পরিচালক", "আঞ্চলিক বিক্রয় প্রধান", "হিসাব সহকারী", "CFO"],
    "industries": ["ভোগ্যপণ্য বিতরণ", "খাদ্য ও পানীয়", "ওষুধ বিতরণ", "কৃষি উপকরণ", "পানীয় বিতরণ", "ইলেকট্রনিক্স খুচরা",
                   "প্রসাধনী ও ব্যক্তিগত যত্ন", "মুদি পণ্য পাইকারি"],
    "names": ["রাশেদ ক.", "ফারহানা ই.", "মিজানুর র.", "সুমাইয়া হ.", "তারেক আ.", "নুসরাত জ.", "কামরুল হ.", "শারমিন স."],
}

TH = {
    "vp-roster-hours": {
        "ctx": ["โรงแรมของเรามีพนักงานกว่าสองร้อยคน", "เมื่อก่อนหัวหน้างานต้องจัดตารางกะเองทุกสัปดาห์",
                "ธุรกิจของเรามีหลายแผนกและหลายกะ"],
        "core": ["ระบบร่างตารางกะให้อัตโนมัติ หัวหน้างานแค่ตรวจและปรับนิดหน่อย",
                 "เมื่อก่อนต้องนั่งจัดตารางกะใน Excel ทุกสัปดาห์ ตอนนี้ใช้เวลาไม่ถึงชั่วโมง",
                 "หัวหน้าแผนกประหยัดเวลาจัดตารางกะได้ราว {n} ชั่วโมงต่อสัปดาห์",
                 "ตารางกะร่างจากยอดจองห้องพักและทักษะของพนักงานโดยอัตโนมัติ",
                 "หัวหน้างานได้เวลาคืนมาหลายชั่วโมงต่อสัปดาห์เพราะไม่ต้องจัดตารางกะเอง"],
        "like": ["การจัดตารางกะอัตโนมัติ ประหยัดเวลาหัวหน้างานมาก", "ร่างตารางกะให้เองตามยอดจอง"],
    },
    "vp-overtime": {
        "ctx": ["เรามีสาขาร้านอาหารหลายสิบสาขา", "ค่าล่วงเวลาเคยเกินงบเกือบทุกเดือน"],
        "core": ["ระบบแจ้งเตือนก่อนที่พนักงานจะเข้าสู่ชั่วโมงล่วงเวลา ผู้จัดการสลับกะได้ทัน",
                 "ค่าล่วงเวลาของสาขาเราลดลงประมาณ {n}% ภายในสองไตรมาส",
                 "ค่าล่วงเวลาที่ลดลงเห็นชัดในงบการเงินทุกเดือน",
                 "ระบบเสนอพนักงานที่ว่างให้รับกะแทน จึงไม่ต้องจ่ายค่าล่วงเวลาโดยไม่จำเป็น"],
        "like": ["การแจ้งเตือนค่าล่วงเวลาก่อนเกิดจริง", "ค่าล่วงเวลาลดลงชัดเจน"],
    },
    "vp-compliance": {
        "ctx": ["ธุรกิจบริการต้องปฏิบัติตามกฎหมายแรงงานอย่างเคร่งครัด", "เราเคยมีปัญหาเรื่องการคำนวณเงินเดือนผิด"],
        "core": ["ระบบคำนวณวันหยุดและเงินสมทบประกันสังคมตามกฎหมายคุ้มครองแรงงานให้ครบ",
                 "ตอนมีการตรวจแรงงาน เราเปิดรายงานเวลาเข้าออกย้อนหลังได้ทันที",
                 "ความผิดพลาดในการจ่ายเงินเดือนแทบเป็นศูนย์ เพราะชั่วโมงทำงานเข้าระบบเงินเดือนโดยตรง",
                 "บันทึกเวลาเข้าออกทั้งหมดเก็บไว้ในที่เดียว พร้อมให้เจ้าหน้าที่แรงงานตรวจได้ทุกเมื่อ"],
        "like": ["บันทึกเวลาเข้าออกย้อนหลังพร้อมสำหรับการตรวจแรงงาน", "คำนวณตามกฎหมายคุ้มครองแรงงานให้อัตโนมัติ"],
    },
    "vp-retention": {
        "ctx": ["พนักงานหน้างานของเราลาออกบ่อยมากในช่วงไฮซีซั่น", "เราอยากให้พนักงานมีส่วนร่วมมากขึ้น"],
        "core": ["พนักงานเลือกกะและแลกกะกันเองผ่านแอป ทำให้พนักงานพอใจและอยู่กับเรานานขึ้น",
                 "อัตราการลาออกของพนักงานหน้างานลดลงอย่างเห็นได้ชัดในปีแรก",
                 "การให้พนักงานดูชั่วโมงทำงานของตัวเองแบบเรียลไทม์เปลี่ยนวัฒนธรรมองค์กรของเรา",
                 "พนักงานลาออกน้อยลง ค่าสรรหาและฝึกอบรมพนักงานใหม่ลดลงมาก"],
        "like": ["พนักงานเลือกกะเองได้ อัตราการลาออกลดลง", "พนักงานดูชั่วโมงทำงานของตัวเองได้"],
    },
}
TH_GENERIC = {
    "like": ["ทีมซัพพอร์ตตอบเร็วมาก", "หน้าจอใช้งานง่าย พนักงานใหม่เรียนรู้ได้เร็ว", "ราคาไม่แพงเมื่อเทียบกับระบบอื่น",
             "ทีมติดตั้งดูแลดีมาก", "เชื่อมต่อกับเครื่องสแกนใบหน้าได้ดี", "มีภาษาไทยครบทุกเมนู",
             "อัปเดตฟีเจอร์ใหม่สม่ำเสมอ", "แดชบอร์ดดูง่าย"],
    "dislike": ["บางครั้งแอปโหลดช้าเมื่อสัญญาณอินเทอร์เน็ตไม่ดี", "อยากให้ปรับแต่งรายงานได้มากกว่านี้",
                "ราคาขึ้นตอนต่อสัญญา", "บางเมนูหายาก", "การแจ้งเตือนเยอะเกินไปในช่วงแรก"],
    "problems": ["ทุกคนในทีมใช้ระบบเดียวกัน การสื่อสารง่ายขึ้น", "ระบบเดิมของเราเก่าและไม่รองรับการขยายสาขา",
                 "พนักงานใหม่เรียนรู้การใช้งานได้เร็ว", "ผู้บริหารดูข้อมูลภาพรวมได้จากที่เดียว",
                 "กำหนดสิทธิ์การเข้าถึงของแต่ละแผนกได้สะดวก"],
    "titles": ["ระบบดี ใช้งานง่าย", "ซัพพอร์ตดีมาก", "คุ้มค่า", "แนะนำ", "โดยรวมดี"],
    "roles": ["ผู้จัดการฝ่ายทรัพยากรบุคคล", "ผู้อำนวยการฝ่ายปฏิบัติการ", "ผู้จัดการฝ่ายบัญชีเงินเดือน", "เจ้าของกิจการ",
              "ผู้จัดการฝ่ายไอที", "ผู้จัดการสาขา", "ผู้จัดการฝ่ายต้อนรับ", "หัวหน้าแผนกแม่บ้าน"],
    "industries": ["โรงแรมและรีสอร์ต", "ร้านอาหารเครือข่าย", "ค้าปลีก", "ร้านกาแฟและเบเกอรี่", "สปาและเวลเนส",
                   "คลินิกทันตกรรม", "ห้างสรรพสินค้า", "โลจิสติกส์"],
    "names": ["ธนพร ส.", "วิชัย ก.", "ปิยะนุช ร.", "อนุชา ม.", "ศิริพร ว.", "กิตติ จ."],
}

VENDORS = {
    # spec file, slug, pools, generic pools, language, joiner, planted counts per VP, G2 total (<= as_of), PeerPanel rows
    "ledgerly": ("ledgerly_en.yaml", EN, EN_GENERIC, "en", {"vp-close-days": 28, "vp-recovered-cash": 18,
                                                            "vp-audit-ready": 3, "vp-real-time": 12}, 212, 24),
    "ghatbox": ("ghatbox_bn.yaml", BN, BN_GENERIC, "bn", {"vp-more-outlets": 20, "vp-less-expiry": 14,
                                                          "vp-vat-ready": 9, "vp-credit-transform": 10}, 168, 0),
    "shiftsabai": ("shiftsabai_th.yaml", TH, TH_GENERIC, "th", {"vp-roster-hours": 11, "vp-overtime": 8,
                                                                "vp-compliance": 7, "vp-retention": 6}, 94, 16),
}


def _join(lang: str, parts: list[str]) -> str:
    return " ".join(p for p in parts if p)


def _num(lang: str, text: str, rng: random.Random) -> str:
    n, k = rng.choice([6, 8, 10, 12, 14, 38, 40, 42]), rng.choice([3, 4, 5, 6])
    m = max(2, n - rng.choice([4, 5, 6]))
    out = text.replace("{n}", str(n)).replace("{m}", str(m)).replace("{k}", str(k))
    return out.translate(BN_DIGITS) if lang == "bn" else out


class Gen:
    def __init__(self, vendor: str, rng: random.Random):
        self.vendor, self.rng = vendor, rng
        spec_file, self.pools, self.generic, self.lang, self.counts, self.g2_total, self.pp_rows = VENDORS[vendor]
        self.spec = yaml.safe_load((SAMPLES / spec_file).read_text(encoding="utf-8"))
        self.used_ids: set[str] = set()
        self.texts: set[str] = set()

    def new_id(self) -> str:
        while True:
            rid = f"{self.vendor}-review-{self.rng.randint(5_000_000, 9_999_999)}"
            if rid not in self.used_ids:
                self.used_ids.add(rid)
                return rid

    def date(self, old_share: float = 0.12) -> dt.date:
        # Mostly within the 12 months before as-of; some older (stale for quoting).
        days = self.rng.randint(0, 364) if self.rng.random() > old_share else self.rng.randint(365, 640)
        return AS_OF - dt.timedelta(days=days)

    def person(self) -> dict[str, object]:
        g, r = self.generic, self.rng
        seg = r.choices(["small_business", "mid_market", "enterprise"], weights=[3, 5, 3])[0]
        return {"name": r.choice(g["names"]) if r.random() < 0.4 else "", "role": r.choice(g["roles"]),
                "segment": seg, "industry": r.choice(g["industries"])}

    def flags(self) -> dict[str, bool]:
        r = self.rng.random()
        # ~86% verified; the rest unvalidated, not current users or incentivized.
        return {"validated_reviewer": r > 0.05, "verified_current_user": not (0.05 < r <= 0.09),
                "incentivized": 0.09 < r <= 0.14}

    def unique(self, make) -> dict[str, str]:
        for _ in range(200):
            answers = make()
            key = "|".join(answers.values())
            if key not in self.texts:
                self.texts.add(key)
                return answers
        raise RuntimeError("text pools too small")

    def planted(self, vp: str) -> dict[str, object]:
        p, g, r, lang = self.pools[vp], self.generic, self.rng, self.lang

        def make() -> dict[str, str]:
            core = r.sample(p["core"], k=r.choice([1, 2, 2, 3]))
            solving = _join(lang, [r.choice(p["ctx"]) if r.random() < 0.7 else "", *(_num(lang, c, r) for c in core)])
            like = r.choice(p["like"]) if r.random() < 0.6 else r.choice(g["like"])
            return {"title": r.choice(g["titles"]), "like_best": like, "dislike": r.choice(g["dislike"]),
                    "problems_solved": solving}
        return {"answers": self.unique(make), "stars": r.choice([4, 4.5, 4.5, 5, 5, 5])}

    def unrelated(self) -> dict[str, object]:
        g, r, lang = self.generic, self.rng, self.lang

        def make() -> dict[str, str]:
            return {"title": r.choice(g["titles"]), "like_best": _join(lang, r.sample(g["like"], k=r.choice([1, 2]))),
                    "dislike": r.choice(g["dislike"]), "problems_solved": _join(lang, r.sample(g["problems"], k=r.choice([1, 2])))}
        return {"answers": self.unique(make), "stars": r.choice([3, 3.5, 4, 4, 4.5, 4.5, 5, 5])}

    def reviews(self) -> tuple[list[dict[str, object]], dict[str, list[str]]]:
        """All unique, valid reviews for the G2-like export (plus the answer key)."""
        spec, out = self.spec, []
        key: dict = {"planted": {vp: [] for vp in self.counts}, "cited_by_spec": {vp: [] for vp in self.counts},
                     "unrelated": [], "existing_quotes": []}
        quote_vps: dict[str, list[str]] = {}
        cases = {c["id"]: c.get("evidence", []) for c in spec.get("case_studies", [])}
        for vp in spec["value_props"]:
            for ref in vp["evidence"]:
                for q in cases.get(ref, [ref]):
                    quote_vps.setdefault(q, []).append(vp["id"])
        for q in spec["quotes"]:  # the spec's own quotes, verbatim, so they trace to imported reviews
            rv = q["reviewer"]
            self.used_ids.add(q["review_id"])
            out.append({"review_id": q["review_id"], "url": q["url"], "date": q["review_date"], "stars": float(q["stars"]),
                        "name": rv.get("name", ""), "role": rv["role"], "segment": rv["segment"], "industry": rv["industry"],
                        "validated_reviewer": q["validated_reviewer"], "verified_current_user": q["verified_current_user"],
                        "incentivized": q["incentivized"],
                        "answers": {"title": self.rng.choice(self.generic["titles"]),
                                    "like_best": self.rng.choice(self.generic["like"]),
                                    "dislike": self.rng.choice(self.generic["dislike"]), "problems_solved": q["text"]}})
            key["existing_quotes"].append(q["review_id"])
            for vp in quote_vps.get(q["id"], []):
                key["cited_by_spec"][vp].append(q["review_id"])
        for vp, n in self.counts.items():
            for _ in range(n):
                out.append(self.row(self.planted(vp)))
                key["planted"][vp].append(out[-1]["review_id"])
        while len(out) < self.g2_total:
            out.append(self.row(self.unrelated()))
            key["unrelated"].append(out[-1]["review_id"])
        for _ in range(2):  # written after the study's as-of date: not counted, not quoted
            row = self.row(self.unrelated())
            row["date"] = AS_OF + dt.timedelta(days=self.rng.randint(3, 20))
            out.append(row)
            key["unrelated"].append(row["review_id"])
        self.rng.shuffle(out)
        return out, key

    def row(self, content: dict[str, object]) -> dict[str, object]:
        rid = self.new_id()
        return {"review_id": rid, "url": f"https://www.g2.com/products/{self.vendor}/reviews/{rid}",
                "date": self.date(), "stars": content["stars"], **self.person(), **self.flags(),
                "answers": content["answers"]}


def _yes(b: bool) -> str:
    return "Yes" if b else "No"


def g2_csv(rows: list[dict[str, object]], extra: list[list[str]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_HEADER)
    for r in rows:
        a = r["answers"]
        d = r["date"]
        w.writerow([r["review_id"], r["url"], f"{d.month}/{d.day}/{d.year}", f"{r['stars']:g}", r["name"], r["role"],
                    G2_SIZE[r["segment"]], r["industry"], _yes(r["validated_reviewer"]), _yes(r["verified_current_user"]),
                    _yes(r["incentivized"]), a["title"], a["like_best"], a["dislike"], a["problems_solved"]])
    for line in extra:
        w.writerow(line)
    return buf.getvalue()


def pp_record(r: dict[str, object], rid: str, rng: random.Random) -> dict[str, object]:
    a = r["answers"]
    badges = [b for b, on in (("identity-verified", r["validated_reviewer"]), ("current-customer", r["verified_current_user"]),
                              ("sponsored", r["incentivized"])) if on]
    return {"reviewId": rid, "permalink": f"https://peerpanel.example/reviews/{rid}",
            "submittedAt": f"{r['date'].isoformat()}T{rng.randint(7, 21):02d}:{rng.randint(0, 59):02d}:00Z",
            "rating": {"overall": int(round(float(r["stars"]) * 2)), "outOf": 10},
            "reviewer": {"displayName": r["name"] or None, "jobTitle": r["role"],
                         "company": {"size": rng.choice(PP_SIZE[r["segment"]]), "industry": r["industry"]}},
            "badges": badges, "headline": a["title"],
            "answers": {"pros": a["like_best"], "cons": a["dislike"], "outcomes": a["problems_solved"]}}


def main() -> None:
    rng = random.Random(SEED)
    answer_key: dict[str, dict[str, list[str]]] = {}
    for vendor in VENDORS:
        gen = Gen(vendor, rng)
        rows, key = gen.reviews()  # key: planted / cited_by_spec / unrelated / existing_quotes
        # Duplicates: the same review exported twice (platform paging overlap).
        dupes = [rng.choice(rows) for _ in range(3)]
        extra_rows = list(rows)
        for d in dupes:
            extra_rows.insert(rng.randint(0, len(extra_rows)), d)
        bad = {
            "ledgerly": [["", "https://www.g2.com/products/ledgerly/reviews/", "3/4/2026", "5", "", "Controller",
                          G2_SIZE["mid_market"], "Retail", "Yes", "Yes", "No", "Great", "Fast close.", "", "Faster close."],
                         ["ledgerly-review-1000001", "https://www.g2.com/products/ledgerly/reviews/ledgerly-review-1000001",
                          "2/31/2026", "4.5", "", "Controller", G2_SIZE["enterprise"], "Retail", "Yes", "Yes", "No",
                          "Good", "Reconciliation rules.", "Price.", "We close faster."],
                         ["ledgerly-review-1000002", "https://www.g2.com/products/ledgerly/reviews/ledgerly-review-1000002",
                          "5/5/2026", "7", "", "CFO", G2_SIZE["enterprise"], "Retail", "Yes", "Yes", "No", "Wow",
                          "Everything.", "Nothing.", "Everything."],
                         ["ledgerly-review-1000003", "https://www.g2.com/products/ledgerly/reviews/ledgerly-review-1000003",
                          "6/1/2026", "4", "", "Controller", "Government(n/a)", "Government", "Yes", "Yes", "No", "Fine",
                          "Checklists.", "Reports.", "Close tracking."]],
            "ghatbox": [["ghatbox-review-1000001", "http://www.g2.com/products/ghatbox/reviews/ghatbox-review-1000001",
                         "4/2/2026", "5", "", "বিক্রয় ব্যবস্থাপক", G2_SIZE["mid_market"], "ভোগ্যপণ্য বিতরণ", "Yes", "Yes", "No",
                         "ভালো", "অ্যাপ ভালো।", "", "অর্ডার দ্রুত হয়।"],
                        ["ghatbox-review-1000002", "https://www.g2.com/products/ghatbox/reviews/ghatbox-review-1000002",
                         "4/9/2026", "4", "", "আইটি ব্যবস্থাপক", G2_SIZE["enterprise"], "খাদ্য ও পানীয়", "Yes", "Yes", "No",
                         "", "", "", ""],
                        ["ghatbox-review-1000003", "https://www.g2.com/products/ghatbox/reviews/ghatbox-review-1000003",
                         "5/9/2026", "4"]],
            "shiftsabai": [["shiftsabai-review-1000001", "https://www.g2.com/products/shiftsabai/reviews/shiftsabai-review-1000001",
                            "7/7/2026", "4.5", "", "เจ้าของกิจการ", G2_SIZE["small_business"], "ร้านอาหาร", "Maybe", "Yes", "No",
                            "ดี", "ใช้ง่าย", "", "จัดกะง่ายขึ้น"],
                           ["shiftsabai-review-1000002", "https://www.g2.com/products/shiftsabai/reviews/shiftsabai-review-1000002",
                            "2026-13-01", "4", "", "ผู้จัดการสาขา", G2_SIZE["mid_market"], "ค้าปลีก", "Yes", "Yes", "No",
                            "ดี", "ซัพพอร์ตดี", "", "ค่าล่วงเวลาลดลง"]],
        }[vendor]
        body = g2_csv(extra_rows, [])
        lines = body.splitlines(keepends=True)
        header, data = lines[0], lines[1:]
        bad_csv = g2_csv([], bad).splitlines(keepends=True)[1:]
        for b in bad_csv:  # scatter the bad rows through the file
            data.insert(rng.randint(0, len(data)), b)
        (HERE / f"{vendor}_g2like.csv").write_text(header + "".join(data), encoding="utf-8")
        if gen.pp_rows:
            recs = []
            for i in range(gen.pp_rows):
                rid = f"pp-{rng.randrange(16**8):08x}"
                if i < 5:  # syndicated: same review text on the second platform under its own id
                    r = rng.choice(rows)
                elif i % 3:
                    r = gen.row(gen.unrelated())
                    key["unrelated"].append(f"peerpanel:{rid}")
                else:
                    vp = rng.choice(list(gen.counts))
                    r = gen.row(gen.planted(vp))
                    key["planted"][vp].append(f"peerpanel:{rid}")
                recs.append(json.dumps(pp_record(r, rid, rng), ensure_ascii=False))
            recs.insert(7, '{"reviewId": "pp-broken", "permalink": "https://peerpanel.example/reviews/pp-broken", "submittedAt": ')
            bad_rating = json.loads(recs[3])
            bad_rating["reviewId"], bad_rating["rating"]["overall"] = "pp-badrating", 11
            bad_rating["answers"]["outcomes"] += " (edited)"
            recs.insert(12, json.dumps(bad_rating, ensure_ascii=False))
            no_id = json.loads(recs[9])
            del no_id["reviewId"]
            recs.insert(15, json.dumps(no_id, ensure_ascii=False))
            (HERE / f"{vendor}_peerpanel.jsonl").write_text("\n".join(recs) + "\n", encoding="utf-8")
        full = lambda v: v if ":" in v else f"g2:{v}"
        answer_key[vendor] = {k: ({vp: sorted(map(full, ids)) for vp, ids in vs.items()} if isinstance(vs, dict)
                                  else sorted(map(full, vs))) for k, vs in key.items()}
    (HERE / "planted.json").write_text(json.dumps(answer_key, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
