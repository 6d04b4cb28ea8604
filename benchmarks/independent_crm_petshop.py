#!/usr/bin/env python3
"""Synthetic CRM of "PawPantry", a UK online shop for pet food and supplies.

Writes DIR/crm.db (SQLite: orders, customers, contacts, complaints, surveys) and
DIR/truth.csv (customer_id, churned_at, true_reason).  History 2023-01-01 .. 2025-12-31.

What each exit reason leaves behind (always probabilistic, with "silent" cases):
  indifference    Purchases drift down over 1.5-8 months; for most, a "neglect" stretch
                  before leaving: helpdesk requests go unanswered or are answered days
                  later (and get chased with "Re: Re:"), post-purchase follow-ups and
                  restock reminders stop; kennels/breeders lose their manager's calls,
                  often after a manager handover.  Fewer of them take marketing e-mail.
  product_quality A first problem 1 week to 5 months ahead: quality/service complaints
                  (a third never resolved, the rest slowly), returns and refunds, low
                  pulse scores, order rate drops.  A fifth leave without a trace.
  competitor      Last 1-7 months: orders only with promo codes, shrinking baskets,
                  price complaints, questions about price matching / other shops'
                  offers, unsubscribes; seldom loyalty members.  Clustered a little
                  around a rival's spring 2025 campaign.
  personal_ties   Abrupt stop; half were referred by someone who left 2-8 months
                  earlier; a few say a relative/friend now supplies them.
  moved_or_died   Moves: address-change requests, orders to a new region, customer
                  region updated (or "Overseas"); pet or owner death: abrupt stop,
                  "passed away" messages (before or after), returns of unopened food.
Stayers show every kind of trace too: slow spells (holidays, stock-ups, vet diets),
helpdesk backlogs (Christmas, a 2024 system migration) and personal neglect spells,
manager departures, quality episodes and a product recall, a price rise, deal-hunting
spells and competitor mentions, moves, pet deaths with a later new pet, referrers who
leave, lapsed customers who answer an exit survey and come back.
"""
import argparse
import math
import os
import random
import sqlite3
import time

import numpy as np
import pandas as pd

SHOP = "PawPantry"
DAY0 = np.datetime64("2023-01-01T00:00:00", "s")
NDAYS = 1096                      # 2023-01-01 .. 2025-12-31
END = NDAYS - 15.0 / 1440         # 2025-12-31 23:45 UTC: nothing after this


def dday(s):
    return float((np.datetime64(s, "s") - DAY0) / np.timedelta64(1, "D"))


REGIONS = ["London", "South East", "South West", "East of England", "West Midlands",
           "East Midlands", "Yorkshire and the Humber", "North West", "North East",
           "Wales", "Scotland", "Northern Ireland"]
REG_W = np.array([13.4, 13.8, 8.5, 9.5, 8.9, 7.3, 8.2, 11.0, 4.0, 4.7, 8.1, 2.8])
REG_W = REG_W / REG_W.sum()
OVERSEAS = "Overseas"

SEGMENTS = ["Retail", "Breeder/Kennel", "Rescue/Charity", "Groomer/Trade"]
SEG_P = [0.93, 0.04, 0.012, 0.018]
REASONS = ["indifference", "product_quality", "competitor", "personal_ties", "moved_or_died"]
REASON_P = [0.67, 0.15, 0.09, 0.05, 0.04]
MANAGERS = ["E0105", "E0207", "E0311", "E0418", "E0522", "E0630", "E0744"]
MGR_GAP = {"E0105": 28, "E0207": 40, "E0311": 35, "E0418": 110, "E0522": 45, "E0630": 38, "E0744": 50}
# manager departures: (manager, day left); successors hired
MGR_LEAVE = {"E0207": dday("2024-03-15"), "E0311": dday("2025-06-30")}
MGR_JOIN = {"E0630": dday("2024-03-01"), "E0744": dday("2025-06-16")}
AGENTS = ["HD%03d" % k for k in (3, 7, 8, 12, 15, 19, 21, 22, 26, 31, 33, 40, 41, 47)]

PETS = ["Bella", "Max", "Luna", "Milo", "Coco", "Teddy", "Alfie", "Daisy", "Poppy", "Bailey",
        "Charlie", "Ruby", "Lola", "Buster", "Bonnie", "Archie", "Nala", "Simba", "Tilly",
        "Oscar", "Rosie", "Murphy", "Hugo", "Willow", "Biscuit", "Pepper", "Smudge", "Tigger",
        "Misty", "Loki", "Bear", "Ziggy", "Honey", "Maisie", "Rolo", "Otis", "Winnie", "Dexter",
        "Peanut", "Jasper", "Mabel", "Ted", "Frank", "Marley", "Cleo", "Pip", "Monty", "Rocky"]
SURNAMES = ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Evans", "Thomas",
            "Roberts", "Walker", "Wright", "Hughes", "Green", "Hall", "Wood", "Clarke",
            "Patel", "Khan", "Murray", "Campbell", "Kelly", "Price", "Hill", "Ward"]
PLACES = ["Ashdown", "Hollybrook", "Fernleigh", "Oakridge", "Kestrel", "Millbrook",
          "Heatherdale", "Foxhill", "Brackenside", "Willowmead", "Stonecroft", "Larkrise"]
BREEDS_DOG = ["lab", "cockapoo", "springer", "frenchie", "GSD", "border collie", "dachshund",
              "golden retriever", "staffie", "jack russell", "cavapoo", "whippet", "beagle"]
BREEDS_CAT = ["maine coon", "ragdoll", "british shorthair", "bengal", "moggy", "siamese"]
BRANDS_DOG = ["Royal Canin", "Hill's Science Plan", "Purina Pro Plan", "James Wellbeloved",
              "Lily's Kitchen", "Harringtons", "Burns", "Canagan", "Forthglade", "Arden Grange",
              "Skinner's", "Barking Heads", "Eukanuba", "Acana"]
BRANDS_CAT = ["Royal Canin", "Hill's", "Felix", "Whiskas", "Applaws", "Lily's Kitchen",
              "Purina One", "Thrive", "Encore", "Sheba", "Iams", "Catit"]
BRANDS_SMALL = ["Burgess Excel", "Science Selective", "Oxbow", "Versele-Laga"]
PRODUCTS_DOG = ["kibble", "wet food", "dental sticks", "puppy food", "senior food", "training treats",
                "harness", "bed", "chew toy", "poo bags", "flea treatment", "joint supplement"]
PRODUCTS_CAT = ["wet pouches", "dry food", "litter", "scratching post", "kitten food", "cat treats",
                "fountain filter", "senior food", "flea treatment"]
PRODUCTS_SMALL = ["hay", "nuggets", "bedding", "hutch", "chew sticks"]
COMPETITORS = ["Zooplus", "Pets at Home", "Amazon", "Jollyes", "Monster Pet Supplies", "Viovet",
               "Fetch", "Butternut Box", "Tails.com", "Costco", "Tesco", "the local pet shop"]
SHOWS = ["Crufts", "the county show", "Discover Dogs", "the GCCF show", "a breed club show"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
PROMOS = ["WELCOME10", "PAWS15", "SPRING20", "BF2024", "TREAT5", "XMAS15", "FREEDEL", "PUPPY10"]

# --------------------------------------------------------------------------- text banks
T = {}
T["routine"] = [
    "Where is my order?", "where is my order {ord}", "Order {ord} - not arrived", "Order {ord} still not here",
    "Delivery status", "Tracking not updating for order {ord}", "Parcel marked as delivered but not received",
    "Change delivery date", "Can I change my delivery day to Saturday?", "Leave parcel with neighbour next time please",
    "Safe place instructions", "Delivery to my work address this time", "Payment failed", "card declined?",
    "Update payment card", "Charged twice for order {ord}", "Refund for order {ord}", "Can't log in",
    "password reset email not coming through", "Forgot password", "Invoice needed for order {ord}",
    "VAT invoice please", "Question about {brand} {product}", "Is {brand} ok for a {age} year old {breed}?",
    "How much {brand} should I feed?", "Do you sell {brand} renal / urinary?", "Food recommendation for a {breed}",
    "Switching {pet} to senior food - advice?", "{pet} has a sensitive tummy - which food?", "Promo code not working",
    "Discount code {code} says invalid", "Welcome discount not applied", "Paw Points not added to my account",
    "How do I use my points?", "Skip next repeat delivery", "Pause repeat delivery - going on holiday",
    "Can I bring my repeat order forward?", "Change repeat delivery to every {wk} weeks",
    "Add treats to my repeat order", "Wrong item received", "Wrong flavour sent - ordered chicken got salmon",
    "Missing item from order {ord}", "Item out of stock - when is it back?", "Back in stock alert not working",
    "How do I return an item?", "Returns label please", "Gift card balance", "Do you deliver on Sundays?",
    "Free delivery threshold?", "Split my order into two deliveries", "Bulk price for {product}?", "Thank you!",
    "Thanks for the lovely note in the parcel", "Size guide for {product}", "Which harness size for a {breed}",
    "Can I order by phone?", "Website error at checkout", "App keeps logging me out", "Change email address on account",
    "Update phone number", "Merge my two accounts", "Question about ingredients", "Is this made in the UK?",
    "Does {brand} contain chicken? allergy", "Free sample with next order?", "Review I left is not showing",
    "Birthday treat for {pet}?", "Received someone else's parcel", "Box was open when it arrived",
    "Will {brand} be in the Black Friday sale?", "Any offers on {brand} coming up?", "Do you have any discount codes?",
    "Question re order {ord}", "quick question", "Help", "Order query", "Account query", "Repeat delivery query",
]
T["call_in"] = [
    "Call: cust chasing order {ord}", "Inbound call - delivery date change", "Call re repeat delivery frequency",
    "Phoned to update card details", "Call - product advice ({brand})", "Cust called about missing item, reshipped",
    "Call: query on invoice", "inb call - password reset done", "Call - asked about Paw Points balance",
    "Call: wanted to order over phone, order {ord} placed", "Caller asked about returns process",
    "Call re feeding guide for {breed}", "Cust rang, wrong item sent - return label emailed",
    "Call - discount code issue, applied manually", "Call from cust re delivery to neighbour",
    "Call - cust asked to skip next delivery", "Phone: address typo on order {ord} corrected",
]
T["big_in"] = [
    "Bulk order enquiry - {n} x 15kg {brand}", "Need delivery before Friday - litter arriving",
    "Trade account invoice query", "Can we get a pallet delivery?", "Price list for {year}?",
    "Puppy packs - more leaflets please", "Order {ord} - short delivered 2 bags", "Credit account statement",
    "Urgent: run out of {brand} puppy", "Re: trade order {ord}", "Standing order change from next month",
]
T["follow_out"] = [
    "How is {pet} getting on with {brand}?", "Checking in after your recent order", "Follow-up: order {ord}",
    "Quick call to check delivery went ok", "Courtesy call - new customer", "Aftercare call re {product}",
    "How did we do? Rate your order {ord}", "Feedback request - order {ord}",
]
T["welcome_out"] = ["Welcome to the pack! A treat for {pet} inside", "Welcome to {shop} - your first order is on its way",
                    "Thanks for your first order, {pet}'s paw-some journey starts here"]
T["remind_out"] = ["Running low on {brand}?", "Time to restock {pet}'s food?", "Your usual order is ready to go again",
                   "Don't run out! Reorder {brand} in one click", "It's been a while since {pet}'s last bag..."]
T["winback_out"] = ["We miss you! Here's 15% off", "{pet} misses their favourite food", "Come back for 20% off your next order",
                    "Is everything ok? We'd love to hear from you", "Still there? Your Paw Points are waiting"]
T["autoship_out"] = ["Repeat delivery reminder: ships in 3 days", "Your repeat delivery is on its way",
                     "Card expiring soon - please update your details"]
T["big_out"] = [
    "Quarterly account call - {acct}", "Call w/ {acct} re litter due {month}", "Puppy pack order for upcoming litter",
    "Visit to {acct} - stock check", "Met at {show} - discussed volume pricing", "Trade price list {year} sent",
    "Call re bulk order {ord}", "Checked in re delivery schedule", "Follow-up call re last delivery",
    "Sent samples of new {brand} range", "call {acct} - all fine, no issues", "Catch-up call, reorder next wk",
    "Left voicemail for {acct}", "email: new trade terms",
]
T["big_review"] = ["Annual account review {year}", "Annual review meeting - {acct}", "Account review {year} + volume forecast"]
T["handover_out"] = ["Introduction - your new account manager", "Hello from your new account manager at {shop}",
                     "Handover call (prev AM left)", "Intro email: your account is now looked after by me"]
T["chase"] = [
    "Re: {orig}", "RE: RE: {orig}", "Still waiting for a reply", "Second time asking - {orig}", "No response to my email",
    "hello?? is anyone there", "3rd email about this!!", "Why has nobody got back to me?", "Chasing ticket #{tk}",
    "Following up on my previous message", "Please can someone call me back", "Fwd: {orig}", "Re: [#{tk}] {orig}",
]
T["neglect_in"] = ["Refund still not received for order {ord}", "Requested a callback last week", "Question about my account",
                   "Can someone call me back please", "Query about repeat delivery", "Where is my refund?",
                   "Order {ord} - wrong item, need exchange", "Can you check my Paw Points?", "Delivery problem"]
T["cmp_quality"] = [
    "Food smells off - order {ord}", "MOULD in the bag!!", "{pet} has been sick since starting the new bag",
    "Kibble looks different - recipe changed?", "{pet} refuses to eat the new batch of {brand}",
    "Found a bit of plastic in a tin of {brand}", "Best before date already passed on delivery",
    "Treats arrived crushed to powder", "Toy fell apart in 10 minutes, {pet} nearly swallowed the squeaker",
    "Bed seams split after a week", "Litter is really dusty this time", "Batch {batch} - upset stomach for 3 days",
    "Bag of {brand} full of weevils", "Flea treatment didn't work at all", "The new formula gave {pet} itchy skin",
    "Poor quality {product}, not as described", "{brand} tins dented and leaking",
]
T["cmp_service"] = ["Complaint about customer service", "Rude agent on the phone", "Passed from pillar to post",
                    "Promised callback never happened", "Still no refund after 3 weeks",
                    "Very disappointed with how my complaint was handled", "Nobody reads my emails",
                    "Formal complaint - ticket #{tk}"]
T["cmp_delivery"] = ["Parcel damaged, bag split", "Courier threw parcel over the gate", "Delivered to wrong address",
                     "Late again!!", "Half the order missing", "Wet box, food ruined",
                     "Missed delivery slot - took a day off for this", "Order {ord} arrived 5 days late"]
T["cmp_price"] = ["Prices have gone up AGAIN", "Why has {brand} gone up by {x} pounds?", "Delivery charge increased - not happy",
                  "Repeat delivery discount has disappeared", "Price match request - {comp}", "{comp} sells this {x} quid cheaper",
                  "Overcharged on order {ord}", "Price of {brand} 15kg is a joke now"]
T["cmp_other"] = ["Too many marketing emails", "Account details wrong", "Website crashed during payment",
                  "Received someone else's order", "Unhappy with packaging waste", "Data protection request"]
T["cmp_note"] = ["Complaint logged by phone: {what}", "Complaint via Trustpilot review - {what}", "Facebook msg: {what}"]
T["resolve_out"] = ["Re: your complaint - refund issued", "Replacement sent for order {ord}", "Goodwill gesture: 5 pounds credit added",
                    "Update on your complaint [#{tk}]", "Sorry about your order - we've passed this to our quality team",
                    "Complaint closed - thanks for your patience"]
T["return_in"] = ["Return request - order {ord}", "Want to return the {brand}, {pet} won't touch it",
                  "Return label for faulty {product}", "Refund for returned {product}?", "Returning unopened bag"]
T["comp_mention"] = [
    "Can you price match {comp}?", "{comp} have 50% off first order - can you beat it?", "Found the same {brand} cheaper on {comp}",
    "Thinking of switching to {comp} - any offers?", "{comp} does 3 for 2 on {brand}, do you?",
    "Is there a discount for repeat customers? {comp} gives 10%", "Got a voucher from {comp} - can I use it here?",
    "Your delivery charge vs {comp}", "Why is {brand} {x} pounds more here than {comp}?",
    "Cancel repeat delivery - found it cheaper elsewhere", "price match?", "any loyalty discount for long-standing customers?",
]
T["pt_mention"] = [
    "Please close my account - my daughter gets our food through her work now",
    "Cancel repeat delivery - family member is sorting pet food for us",
    "My son has started working at {comp} so we'll use his discount, thanks for everything",
    "Closing account, a friend runs a pet shop", "We'll be ordering on my sister's account from now on",
    "cancel please, my partner's brother is a {comp} rep", "Please cancel - friend gets us trade prices",
]
T["pt_noise"] = ["My friend recommended you!", "Referred by a friend - where's my referral bonus?",
                 "My sister works at {comp} lol but your service is better", "Refer a friend code not working"]
T["refer_out"] = ["Thanks for referring a friend - 10 pounds credit added", "Your friend joined {shop}! Reward unlocked"]
T["move"] = ["Moving house - how do I update my address?", "Change of address from {date}", "New address",
             "change of address pls", "We're moving to {region} next month - can I keep my repeat order?",
             "Update delivery address", "Relocating - please pause deliveries", "Call: cust moving, address updated",
             "Address change done on account", "New delivery address for repeat order"]
T["move_abroad"] = ["Moving to Spain in {month} - do you ship to EU?", "Do you deliver to Jersey?",
                    "Emigrating - please close my account", "Moving abroad, cancel repeat delivery",
                    "Do you ship to Ireland? we're moving", "Relocating overseas - what happens to my points?"]
T["pet_died"] = ["Please cancel repeat delivery - {pet} passed away", "Cancel subscription - we lost our boy last week",
                 "Our cat was put to sleep - can I return unopened food?", "RIP {pet} - please cancel",
                 "Cancel my order, my dog died yesterday", "Return unopened bags - bereavement",
                 "no more orders needed, sadly {pet} is gone", "Call: cust's pet died, repeat order cancelled"]
T["pet_died_out"] = ["Sympathy card sent", "Condolences - {pet}", "Refund for unopened items (bereavement)"]
T["pet_died_stay"] = ["{pet} passed away - please pause deliveries for now", "Pause my orders please, lost our old boy",
                      "Hold repeat order - bereavement"]
T["new_pet"] = ["New puppy! what should I feed an 8 week old {breed}?", "We adopted a rescue cat - add kitten food to my order",
                "New addition to the family - puppy food advice", "Restart repeat delivery please - new pup"]
T["owner_died"] = ["Account of my late father", "Bereavement - please close my mother's account",
                   "Mr {surname} passed away - please cancel all orders", "Cancel account on behalf of my late husband",
                   "Refund of account credit - probate", "Call: family member reported death of account holder"]
T["unsub"] = ["Unsubscribe", "please take me off your mailing list", "Too many emails - unsubscribe", "stop emailing me"]
T["recall_out"] = ["Important: voluntary recall of a batch of {brand} chicken kibble"]
T["recall_in"] = ["Is my bag affected by the recall?", "Recall - batch number on my bag?", "Re: Important: voluntary recall",
                  "Recall - do I get a refund?"]
T["price_rise_in"] = ["Why did prices go up?", "Price increase on my repeat delivery??", "Repeat order more expensive this month"]
T["price_rise_out"] = ["Price change on your repeat delivery"]
T["delay_out"] = ["Your order {ord} is delayed - sorry!", "Delivery delay: courier disruption in your area",
                  "Update on order {ord}: now arriving tomorrow"]
T["loyalty_out"] = ["Your Paw Points statement", "Points expiring at the end of the month", "Double Paw Points this weekend"]
T["after_churn_in"] = ["Please delete my account", "Close my account please", "Remove my card details"]
T["exit_comment"] = {
    0: ["Nobody ever got back to me", "Felt like just a number", "Emails went unanswered", "Just stopped ordering really",
        "Account manager left and nobody called", "No one followed up"],
    1: ["Food made my dog ill", "Quality went downhill", "Too many damaged deliveries", "Complaint never resolved",
        "Cat wouldn't eat the new recipe"],
    2: ["Cheaper elsewhere", "Zooplus had a better deal", "Switched to a fresh food subscription", "Prices too high"],
    3: ["Family member works for another shop", "Friend gets us a discount elsewhere", "My daughter orders for us now"],
    4: ["Moved abroad", "My dog passed away", "Moved house", "Our cat died", "Closing account for my late mother"],
}

CAMPAIGN_SUBJ = {
    1: ["New year, new bowl: our January sale starts now", "Healthy weight month: tips for a trimmer pet",
        "January sale - last few days"],
    2: ["Valentine's treats for your furry valentine", "Pancake day? Not for dogs! Safe treats inside"],
    3: ["Spring is here: flea & tick season starts early", "Mother's Day gifts for pet mums"],
    4: ["Easter warning: chocolate is toxic to dogs", "Spring clean your pet's bed - 20% off"],
    5: ["National Pet Month: win a year of free food", "Tick check! Our guide for May walks"],
    6: ["Summer is coming: cooling mats & water bottles", "Father's Day for dog dads"],
    7: ["Heatwave tips: keeping pets cool", "Summer sale: up to 40% off toys"],
    8: ["Going away? Your pet sitter checklist", "Back to school: routine changes & anxious pets"],
    9: ["New in: autumn flavours", "Puppy training month: free guide"],
    10: ["Fireworks are coming - calming products & advice", "Halloween costumes for pets"],
    11: ["Black Friday starts NOW - up to 50% off", "Black Friday: last chance", "Cyber Monday: double Paw Points"],
    12: ["The Pawfect Christmas gift guide", "Last order dates for Christmas delivery", "Merry Christmas from all of us at PawPantry"],
}

KEYB = "qwertyuiopasdfghjklzxcvbnm"


def typo(s, r):
    if len(s) < 8:
        return s
    i = r.randrange(1, len(s) - 2)
    k = r.random()
    if k < 0.35:
        return s[:i] + s[i + 1] + s[i] + s[i + 2:]
    if k < 0.6:
        return s[:i] + s[i + 1:]
    if k < 0.8:
        return s[:i] + s[i] + s[i:]
    c = s[i].lower()
    if c in KEYB:
        j = KEYB.index(c)
        return s[:i] + KEYB[max(0, j - 1) if r.random() < 0.5 else min(len(KEYB) - 1, j + 1)] + s[i + 1:]
    return s


def cust_style(s, r):
    """What a customer typing a subject line does to it."""
    u = r.random()
    if u < 0.09:
        s = typo(s, r)
    u = r.random()
    if u < 0.14:
        s = s.lower()
    elif u < 0.17:
        s = s.upper()
    u = r.random()
    if u < 0.05:
        s = s.rstrip("?!.") + "!!"
    elif u < 0.08:
        s = s.rstrip("?!.") + "??"
    u = r.random()
    if u < 0.05:
        s = "Re: " + s
    elif u < 0.07:
        s = "Fwd: " + s
    elif u < 0.10:
        s = s + " (order help)" if len(s) < 30 else s
    return s


# --------------------------------------------------------------------------- calendar
def build_calendar():
    d = np.arange(NDAYS + 800)
    dates = DAY0.astype("datetime64[D]") + d
    month = (dates.astype("datetime64[M]").astype(int) % 12) + 1
    dom = (dates - dates.astype("datetime64[M]").astype("datetime64[D]")).astype(int) + 1
    season = np.ones(len(d))
    season[(month == 12) & (dom <= 20)] += 0.25
    season[(month == 11) & (dom >= 20)] += 0.15
    season[(month == 12) & (dom >= 24)] -= 0.35
    season[((month == 7) & (dom >= 15)) | (month == 8)] -= 0.08
    price = np.ones(len(d))
    price[d >= dday("2024-02-01")] = 1.07
    price[d >= dday("2025-03-01")] = 1.10
    backlog = np.ones(len(d))
    for a, b, f in [("2023-11-20", "2024-01-08", 2.3), ("2024-10-01", "2024-10-27", 3.5),
                    ("2024-11-25", "2025-01-06", 2.0), ("2025-08-01", "2025-08-31", 1.6),
                    ("2025-11-24", "2026-01-10", 2.4), ("2023-06-05", "2023-06-16", 1.8)]:
        backlog[int(dday(a)):int(dday(b))] = f
    disrupt = np.zeros(len(d), bool)
    for a, b in [("2023-12-12", "2023-12-22"), ("2024-12-14", "2024-12-23"), ("2025-12-13", "2025-12-22"),
                 ("2024-01-21", "2024-01-25"), ("2025-01-23", "2025-01-27")]:
        disrupt[int(dday(a)):int(dday(b))] = True
    # campaigns: (day, subject, channel)
    camps = []
    rr = random.Random(7)
    for y in (2023, 2024, 2025):
        for mth in range(1, 13):
            subs = CAMPAIGN_SUBJ[mth]
            day0 = dday("%d-%02d-01" % (y, mth))
            if mth == 11:
                for k, dd in enumerate((24, 28, 30)):
                    camps.append((dday("%d-11-%02d" % (y, dd - (1 if y == 2025 else 0))) + 7 / 24, subs[k], "email"))
                camps.append((dday("%d-11-%02d" % (y, 24)) + 10 / 24, "BLACK FRIDAY: up to 50% off, today only. Reply STOP to opt out", "sms"))
            elif mth == 12:
                camps.append((day0 + 2 + 7 / 24, subs[0], "email"))
                camps.append((day0 + 12 + 7 / 24, subs[1], "email"))
                camps.append((day0 + 23 + 9 / 24, subs[2], "email"))
            else:
                camps.append((day0 + 8 + rr.randrange(0, 6) + 7 / 24, subs[(y - 2023) % len(subs)], "email"))
                if mth in (3, 7):
                    camps.append((day0 + 20 + 11 / 24, "%s flash sale: 25%% off %s today. Reply STOP to opt out" %
                                  (SHOP, "flea treatments" if mth == 3 else "toys"), "sms"))
    camps.sort()
    return season, price, backlog, disrupt, camps


def bst_mask(days):
    m = np.zeros(len(days), bool)
    for a, b in [("2023-03-26T01:00", "2023-10-29T01:00"), ("2024-03-31T01:00", "2024-10-27T01:00"),
                 ("2025-03-30T01:00", "2025-10-26T01:00")]:
        m |= (days >= dday(a)) & (days < dday(b))
    return m


BST_IV = [(dday(a), dday(b)) for a, b in [("2023-03-26T01:00", "2023-10-29T01:00"), ("2024-03-31T01:00", "2024-10-27T01:00"),
                                           ("2025-03-30T01:00", "2025-10-26T01:00")]]
HOUR_W = [1, .6, .4, .3, .3, .5, 1.2, 2.5, 4, 4.5, 4.5, 4.2, 4.5, 4.2, 4, 3.8, 3.8, 3.6, 3.5, 3.8, 4.2, 3.8, 2.8, 1.8]


def is_bst(t):
    for a, b in BST_IV:
        if a <= t < b:
            return True
    return False


def daytime(t, chan, r):
    """Move an event to a plausible UK local time of day on the same date."""
    if chan == "call" or chan == "meeting":
        h = r.uniform(8.5, 18.0)
    elif chan == "chat":
        h = r.uniform(8.0, 22.0)
    else:
        h = r.choices(range(24), weights=HOUR_W)[0] + r.random()
    return math.floor(t) + h / 24 - (1 / 24 if is_bst(t) else 0)


def fmt(days, style):
    """days since 2023-01-01 UTC -> strings. styles: 'naive' (UTC, space), 'naive_min', 'date',
    'local' (UK local time with offset), 'utc_off' (+00:00)"""
    days = np.asarray(days, float)
    if style == "local":
        b = bst_mask(days)
        secs = np.round(days * 86400).astype(np.int64) + b * 3600
        s = np.datetime_as_string(DAY0 + secs.astype("timedelta64[s]"), unit="s").astype(object)
        return s + np.where(b, "+01:00", "+00:00").astype(object)
    secs = np.round(days * 86400).astype(np.int64)
    if style == "date":
        return np.datetime_as_string(DAY0 + secs.astype("timedelta64[s]"), unit="D").astype(object)
    if style == "naive_min":
        s = np.datetime_as_string(DAY0 + (secs // 60 * 60).astype("timedelta64[s]"), unit="m")
        return pd.Series(s).str.replace("T", " ", regex=False).to_numpy(object)
    s = np.datetime_as_string(DAY0 + secs.astype("timedelta64[s]"), unit="s")
    if style == "utc_off":
        return s.astype(object) + "+00:00"
    return pd.Series(s).str.replace("T", " ", regex=False).to_numpy(object)


# --------------------------------------------------------------------------- generator
def generate(N, seed):
    rng = np.random.default_rng(seed)
    R = random.Random(seed * 7919 + 13)
    season, price, backlog, disrupt, camps = build_calendar()
    camp_day = np.array([c[0] for c in camps])
    camp_sms = np.array([c[2] == "sms" for c in camps])

    # ---- customers, sorted by signup so that ids grow with time
    pre = rng.random(N) < 0.30
    signup = np.where(pre, -1 - rng.gamma(1.6, 380, N),
                      1080 * np.sqrt(rng.random(N) * 0.75 + 0.25 * rng.random(N) ** 2)) + rng.random(N) * 0.99
    signup = np.clip(signup, -2500, 1085)
    signup.sort()
    seg = rng.choice(4, N, p=SEG_P)
    big = seg > 0
    prospect = (rng.random(N) < 0.06) & ~big
    species = rng.choice(4, N, p=[0.55, 0.30, 0.10, 0.05])  # dog, cat, both, small
    ptype = rng.random(N)
    mu = np.where(ptype < 0.62, np.clip(rng.lognormal(np.log(35), 0.35, N), 12, 95),
                  np.where(ptype < 0.92, np.clip(rng.lognormal(np.log(85), 0.45, N), 40, 250), 420.0))
    mu = np.where(big, np.clip(rng.lognormal(np.log(16), 0.4, N), 6, 45), mu)
    autoship = (ptype < 0.62) & (rng.random(N) < 0.30) & ~big
    as_per = np.array([14, 21, 28, 35, 42, 56])[np.clip(np.searchsorted([17, 24, 31, 38, 49], mu), 0, 5)]
    mu = np.where(autoship, as_per, mu)
    shape = np.where(autoship, 25.0, np.where(big, 4.0, rng.uniform(1.6, 3.5, N)))
    basket = np.where(big, rng.lognormal(np.log(380), 0.6, N),
                      rng.lognormal(np.log(38), 0.5, N) * np.where(species == 1, 0.8, 1.0) * np.where(species == 3, 0.6, 1.0))
    disc_p = np.where(rng.random(N) < 0.12, rng.beta(5, 3, N), rng.beta(1.2, 8, N))
    opt = rng.random(N) < 0.50
    sms = opt & (rng.random(N) < 0.30)
    remind = rng.random(N) < 0.5
    loyal = rng.random(N) < 0.38
    region = rng.choice(len(REGIONS), N, p=REG_W)
    pet_i = rng.integers(0, len(PETS), N)
    inb_rate = rng.lognormal(np.log(1.2), 0.6, N) * np.where(big, 3.0, 1.0)   # per active year
    sat = np.where(rng.random(N) < 0.10, rng.normal(4.8, 1.5, N), rng.normal(8.0, 1.2, N))

    # first order day
    first = np.where(signup >= 0, signup + np.where(rng.random(N) < 0.7, rng.random(N) * 0.05, rng.exponential(6, N)),
                     rng.random(N) * np.minimum(mu, 90))
    first = np.maximum(first, 0.01)
    prospect |= first > END - 0.5

    # ---- churn
    one_off = (mu >= 400) & ~prospect
    Tch = first + np.where(rng.random(N) < np.where(signup >= 0, 0.10, 0.02), rng.uniform(20, 160, N),
                           rng.exponential(rng.lognormal(np.log(1700), 0.6, N)))
    Tch = np.where(one_off & (rng.random(N) < 0.85), first + rng.uniform(25, 220, N), Tch)
    Tch = np.where(big, first + rng.exponential(3000, N), Tch)
    churn = (Tch < END - 1) & ~prospect
    short = churn & (Tch < first + 8)
    Tch[short] = first[short] + rng.uniform(8, 60, short.sum())
    churn &= Tch < END - 1
    reason = np.full(N, -1)
    reason[churn] = rng.choice(5, churn.sum(), p=REASON_P)
    # competitor: a share cluster around a rival's spring 2025 campaign
    a, b = dday("2025-03-01"), dday("2025-07-15")
    mv = (reason == 2) & (first < a - 30) & (Tch > a) & (rng.random(N) < 0.35)
    Tch[mv] = rng.uniform(a, b, mv.sum())
    loyal[reason == 2] = rng.random((reason == 2).sum()) < 0.18
    opt[reason == 0] = rng.random((reason == 0).sum()) < 0.40
    sms &= opt
    sub = np.where(reason == 4, rng.choice(3, N, p=[0.55, 0.33, 0.12]), -1)   # moved, pet died, owner died

    # ---- referrals
    referred = np.full(N, -1)
    cand = np.flatnonzero((signup > -700) & (rng.random(N) < 0.13))
    for i in cand:
        if i < 10:
            continue
        for _ in range(4):
            j = int(rng.integers(0, i))
            if prospect[j] or signup[j] >= signup[i]:
                continue
            if churn[j] and Tch[j] <= signup[i]:
                continue
            referred[i] = j
            break
    # personal ties: referred by someone who has left shortly before
    ch_idx = np.flatnonzero(churn)
    ch_sorted = ch_idx[np.argsort(Tch[ch_idx])]
    chT = Tch[ch_sorted]
    for i in np.flatnonzero(reason == 3):
        if rng.random() >= 0.50:
            continue
        lo, hi = np.searchsorted(chT, [Tch[i] - 240, Tch[i] - 15])
        if hi <= lo:
            continue
        for _ in range(25):
            j = int(ch_sorted[rng.integers(lo, hi)])
            if j != i and signup[j] < signup[i] - 1 and Tch[j] > signup[i] and reason[j] != -1:
                referred[i] = j
                break

    # managers for big accounts
    mgr = np.full(N, "", object)
    for i in np.flatnonzero(big):
        sd = signup[i]
        pool = [m for m in MANAGERS if MGR_JOIN.get(m, -1e9) <= max(sd, -1e8) and MGR_LEAVE.get(m, 1e9) > max(sd, 0)]
        if reason[i] == 0 and rng.random() < 0.4:
            mgr[i] = "E0418"
        else:
            mgr[i] = pool[int(rng.integers(0, len(pool)))]

    ids = np.array(["%07d" % (k + 1 + (k // 997) * 3) for k in range(N)], object)
    acct_name = np.array([("%s %s" % (R.choice(PLACES), R.choice(["Kennels", "Cattery", "Rescue", "Grooming", "Labradors", "Spaniels"])))
                          for _ in range(N)], object)

    # ---- outputs
    O = dict(cust=[], t=[], amt=[], disc=[], ret=[], reg=[], kind=[])     # kind 0 order, 1 refund row
    C = dict(cust=[], t=[], dir=[], chan=[], topic=[], ans=[], resp=[], agent=[])
    CAMP = dict(cust=[], k=[])
    CP = dict(cust=[], t=[], cat=[], res=[], ordref=[])
    S = dict(cust=[], t=[], kind=[], score=[], reason=[], comment=[], fmt=[])
    pend_ord = []              # (contact row, global order row) to fill order numbers in
    pend_cp = []               # (complaint row, global order row)
    cust_region = region.copy().astype(object)
    cust_region = np.array([REGIONS[k] for k in region], object)
    cancelled = np.full(N, np.nan)
    final_mgr = mgr.copy()
    order_count = 0
    hour_p = np.array([1, .5, .3, .2, .2, .3, .8, 2, 3, 3.5, 3.8, 4, 5, 4.5, 3.8, 3.6, 3.8, 4.5, 5.5, 6.5, 7, 6.5, 4.5, 2.5])
    hour_p = hour_p / hour_p.sum()
    nps_waves = [dday(x) for x in ("2023-05-10", "2023-11-08", "2024-05-08", "2024-11-06", "2025-05-07", "2025-11-05")]
    recall_day = dday("2024-08-12")
    rise_day = dday("2024-02-01")
    rival_a, rival_b = dday("2025-03-01"), dday("2025-06-15")

    for i in range(N):
        r = R
        pet = PETS[pet_i[i]]
        sp = species[i]
        brands = BRANDS_DOG if sp in (0, 2) else (BRANDS_CAT if sp == 1 else BRANDS_SMALL)
        prods = PRODUCTS_DOG if sp in (0, 2) else (PRODUCTS_CAT if sp == 1 else PRODUCTS_SMALL)
        breeds = BREEDS_DOG if sp != 1 else BREEDS_CAT
        mybrand = r.choice(brands)
        s = first[i]
        ch = bool(churn[i])
        e = Tch[i] if ch else END
        rs = reason[i]
        sb = sub[i]
        isbig = bool(big[i])
        sgn = signup[i]
        orders_t = np.zeros(0)
        o_base = order_count

        # --------------- episodes (noise for everyone) and reason windows
        dips = []
        for _ in range((1 if r.random() < 0.33 else 0) + (1 if r.random() < 0.12 else 0)):
            a0 = r.uniform(s, END)
            dips.append((a0, a0 + r.uniform(20, 130), r.uniform(0.1, 0.6)))
        neglect = []
        if r.random() < 0.10:
            a0 = r.uniform(max(s, 0), END)
            neglect.append((a0, a0 + r.uniform(30, 150)))
        q_ep = r.uniform(s, END) if r.random() < 0.07 else None
        deal = None
        if r.random() < 0.08:
            a0 = r.uniform(s, END)
            deal = (a0, a0 + r.uniform(60, 200))
        move_day = None
        new_reg = None
        abroad = False
        reg_updated = True
        if r.random() < 0.045:
            move_day = r.uniform(s + 20, END)
        pet_death_noise = r.uniform(s + 60, END) if (r.random() < 0.015) else None
        if pet_death_noise is not None:
            dips.append((pet_death_noise, pet_death_noise + r.uniform(30, 120), 0.03))
        fade = None          # (start, end, m_end)
        shrink = None        # (start, end, mult_end)
        disc_win = None
        issue = None         # product-quality first problem day
        silence_from = None  # manager silence (big accounts)
        handover = None
        silent_pq = False
        if ch:
            if rs == 0:
                if r.random() < 0.75:
                    fade = (e - r.uniform(45, 240), e, r.uniform(0.15, 0.6))
                if r.random() < 0.70:
                    neglect.append((e - r.uniform(40, 240), e + 30))
                if isbig:
                    u = r.random()
                    if u < 0.6:
                        handover = e - r.uniform(60, 270)
                        silence_from = handover
                    elif u < 0.9:
                        silence_from = e - r.uniform(90, 300)
            elif rs == 1:
                if r.random() < 0.2:
                    silent_pq = True
                    if r.random() < 0.5:
                        fade = (e - r.uniform(30, 120), e, r.uniform(0.3, 0.7))
                else:
                    issue = max(s + 1, e - 7 - min(r.expovariate(1 / 45), 190))
                    if issue >= e:
                        issue = None
            elif rs == 2:
                w0 = e - r.uniform(30, 210)
                nothing = r.random() < 0.12
                if not nothing:
                    if r.random() < 0.7:
                        disc_win = (w0, e)
                    if r.random() < 0.6:
                        shrink = (w0, e, r.uniform(0.4, 0.75))
                    if r.random() < 0.65:
                        fade = (w0, e, r.uniform(0.4, 0.85))
            elif rs == 3:
                if r.random() < 0.2:
                    fade = (e - r.uniform(20, 60), e, r.uniform(0.3, 0.7))
            elif rs == 4:
                if sb == 0:
                    abroad = r.random() < 0.25
                    move_day = e - (r.uniform(0, 10) if abroad else r.uniform(5, 100))
                    move_day = max(move_day, s + 1)
                    reg_updated = r.random() < (0.5 if abroad else 0.7)
                    if r.random() < 0.15:
                        reg_updated = False
        if move_day is not None:
            if abroad:
                new_reg = OVERSEAS
            else:
                k = int(rng.choice(len(REGIONS), p=REG_W))
                if k == region[i]:
                    k = (k + 1 + r.randrange(len(REGIONS) - 1)) % len(REGIONS)
                new_reg = REGIONS[k]

        def in_neglect(t):
            for a0, b0 in neglect:
                if a0 <= t < b0:
                    return True
            return False

        # --------------- orders
        if not prospect[i]:
            d0 = int(math.floor(s))
            d1 = int(math.floor(min(e, END)))
            L = d1 - d0 + 1
            m = season[d0:d0 + L].copy()
            for a0, b0, f in dips:
                ia, ib = max(int(a0) - d0, 0), min(int(b0) - d0, L)
                if ib > ia:
                    m[ia:ib] *= f
            if fade is not None:
                ia, ib = max(int(fade[0]) - d0, 0), min(int(fade[1]) - d0, L)
                if ib > ia:
                    x = (np.arange(ia, ib) + d0 - fade[0]) / max(fade[1] - fade[0], 1)
                    m[ia:ib] *= 1 - (1 - fade[2]) * np.clip(x, 0, 1)
            if issue is not None:
                ia = max(int(issue) - d0, 0)
                m[ia:] *= 0.6
            if q_ep is not None:
                ia = max(int(q_ep) - d0, 0)
                m[ia:ia + 60] *= 0.7
            if abroad and move_day is not None:
                m[max(int(move_day) - d0, 0):] *= 0.02
            cum = np.cumsum(m)
            mu_i = mu[i]
            K = int((L / mu_i) * 1.6) + 6
            iv = rng.gamma(shape[i], mu_i / shape[i], K)
            tau = m[0] * (s - d0) + np.cumsum(iv)
            j = np.searchsorted(cum, tau)
            j = j[j < L]
            if len(j):
                tt = d0 + j + (rng.choice(24, len(j), p=hour_p) + rng.random(len(j))) / 24
                tt = tt[(tt > s + 0.2) & (tt < e) & (tt < END)]
            else:
                tt = np.zeros(0)
            orders_t = np.concatenate([[s], np.unique(tt)])
            n = len(orders_t)
            di = np.minimum(orders_t.astype(int), len(season) - 1)
            amt = basket[i] * rng.lognormal(0, 0.3, n) * price[di] * (1 + 0.5 * (season[di] - 1))
            if sgn >= 0:
                amt[0] *= 0.8
            pdisc = np.full(n, disc_p[i])
            if sgn >= 0:
                pdisc[0] = 0.7
            if shrink is not None:
                x = np.clip((orders_t - shrink[0]) / max(shrink[1] - shrink[0], 1), 0, 1)
                amt *= 1 - (1 - shrink[2]) * x
            if deal is not None:
                w = (orders_t >= deal[0]) & (orders_t < deal[1])
                pdisc[w] = np.maximum(pdisc[w], 0.7)
                amt[w] *= 0.8
            if disc_win is not None:
                w = orders_t >= disc_win[0]
                pdisc[w] = np.maximum(pdisc[w], 0.88)
            has_d = rng.random(n) < pdisc
            disc = np.where(has_d, np.round(amt * rng.uniform(0.06, 0.3, n), 2), 0.0)
            amt = np.round(np.maximum(amt, 2.5), 2)
            pret = np.full(n, 0.015)
            if issue is not None:
                pret[orders_t >= issue - 10] = 0.3
            ret = rng.random(n) < pret
            if issue is not None and r.random() < 0.55:
                k = int(np.searchsorted(orders_t, issue)) - 1
                ret[max(k, 0)] = True
            if q_ep is not None and r.random() < 0.5:
                k = int(np.searchsorted(orders_t, q_ep)) - 1
                if k >= 0:
                    ret[k] = True
            if ch and rs == 4 and sb == 1 and r.random() < 0.25:
                ret[-1] = True
            regs = np.full(n, region[i])
            reg_names = [REGIONS[region[i]]] * n
            if move_day is not None and not abroad:
                for k in np.flatnonzero(orders_t >= move_day):
                    reg_names[k] = new_reg
            gift = rng.random(n) < np.where(season[di] > 1.1, 0.05, 0.012)
            for k in np.flatnonzero(gift):
                reg_names[k] = REGIONS[int(rng.choice(len(REGIONS), p=REG_W))]
            # partial refunds as separate negative rows
            full = ret & (rng.random(n) < 0.55)
            part = ret & ~full
            O["cust"].append(np.full(n, i))
            O["t"].append(orders_t)
            O["amt"].append(amt)
            O["disc"].append(disc)
            O["ret"].append(full.astype(np.int8))
            O["reg"].append(np.array(reg_names, object))
            O["kind"].append(np.zeros(n, np.int8))
            order_count += n
            if part.any():
                k = np.flatnonzero(part)
                rt = orders_t[k] + rng.uniform(2, 15, len(k))
                keep = rt < END
                k, rt = k[keep], rt[keep]
                if len(k):
                    O["cust"].append(np.full(len(k), i))
                    O["t"].append(rt)
                    O["amt"].append(-np.round(amt[k] * rng.uniform(0.15, 1.0, len(k)), 2))
                    O["disc"].append(np.zeros(len(k)))
                    O["ret"].append(np.ones(len(k), np.int8))
                    O["reg"].append(np.array([reg_names[x] for x in k], object))
                    O["kind"].append(np.ones(len(k), np.int8))
                    order_count += len(k)
            returned_t = orders_t[ret]
        else:
            returned_t = np.zeros(0)
        n_ord = len(orders_t)

        # --------------- helpers for this customer
        def last_order_before(t):
            k = int(np.searchsorted(orders_t, t)) - 1
            return k

        def ctx(t, extra=None):
            d = {"pet": pet, "brand": mybrand if r.random() < 0.7 else r.choice(brands), "product": r.choice(prods),
                 "breed": r.choice(breeds), "age": r.randrange(1, 14), "code": r.choice(PROMOS), "wk": r.choice((2, 3, 4, 6, 8)),
                 "n": r.randrange(5, 40), "year": 2023 + int(max(t, 0) // 365.25), "tk": 20000 + int(max(t, 0) * 97) + r.randrange(97),
                 "comp": r.choice(COMPETITORS), "x": r.randrange(3, 15), "shop": SHOP, "acct": acct_name[i],
                 "month": r.choice(MONTHS), "show": r.choice(SHOWS), "region": new_reg or r.choice(REGIONS),
                 "surname": r.choice(SURNAMES), "batch": "L%d%04d" % (r.randrange(2, 6), r.randrange(10000)),
                 "date": str((DAY0 + np.timedelta64(int(max(t, 0) * 86400) + 86400 * r.randrange(3, 25), "s")).astype("datetime64[D]")),
                 "ord": "\x00", "orig": "", "what": ""}
            if extra:
                d.update(extra)
            return d

        def text(bank, t, extra=None, style=None):
            tpl = r.choice(T[bank]) if isinstance(bank, str) else r.choice(bank)
            s_ = tpl.format(**ctx(t, extra))
            if style == "c":
                s_ = cust_style(s_, r)
            return s_

        def push(t, direction, chan, topic, ans, resp, agent):
            if t < 0 or t > END:
                return
            row = len(C["t"])
            C["cust"].append(i)
            C["t"].append(t)
            C["dir"].append(direction)
            C["chan"].append(chan)
            C["ans"].append(ans)
            C["resp"].append(resp)
            C["agent"].append(agent)
            if "\x00" in topic:
                k = last_order_before(t)
                if k >= 0:
                    pend_ord.append((row, o_base + k))
                else:
                    topic = topic.replace("\x00", str(3900000 + r.randrange(200000)))
            C["topic"].append(topic)

        def out(t, topic, chan="email", agent=None):
            if t > END or t < sgn:
                return
            if chan == "call" or chan == "meeting":
                wd = (int(t) + 6) % 7
                if wd >= 5:
                    t = t + (7 - wd)
                t = math.floor(t) + r.uniform(8.5, 17.5) / 24 - (1 / 24 if is_bst(t) else 0)
                if t > END:
                    return
            elif agent != "system":
                t = math.floor(t) + r.uniform(8.3, 18.0) / 24 - (1 / 24 if is_bst(t) else 0)
            push(t, "Outbound", chan, topic, None, None, agent or r.choice(AGENTS))

        def inbound(t, topic, chan=None, depth=0, chase_cap=None, retime=True):
            if t > END or t < sgn:
                return
            if chan is None:
                u = r.random()
                chan = "email" if u < 0.45 else ("chat" if u < 0.78 else "call")
            if retime:
                t = daytime(t, chan, r)
            if chan == "call" and not topic.lower().startswith(("call", "inb", "phone", "caller", "cust")):
                topic = topic.rstrip("!?")
                u = r.random()
                topic = ("Call: " + topic[0].lower() + topic[1:]) if u < 0.5 else (("Phoned - " + topic) if u < 0.7 else topic)
            bl = backlog[min(int(t), len(backlog) - 1)]
            neg = in_neglect(t)
            if chan == "chat":
                p_un, hrs = 0.03, r.lognormvariate(math.log(0.12), 0.9)
            elif chan == "email":
                p_un, hrs = 0.04, r.lognormvariate(math.log(9), 0.9)
            elif chan == "call":
                p_un, hrs = 0.05, (0.0 if r.random() < 0.8 else r.lognormvariate(math.log(5), 1.0))
            else:
                p_un, hrs = 0.10, r.lognormvariate(math.log(6), 1.0)
            p_un = p_un * (1 + (bl - 1) * 0.7)
            hrs *= bl
            if neg:
                p_un = max(p_un, {"email": 0.38, "chat": 0.18, "call": 0.30}.get(chan, 0.4))
                hrs = hrs * 3.5 + (r.uniform(24, 120) if chan == "email" and r.random() < 0.5 else 0)
            answered = r.random() >= p_un
            if answered and t + hrs / 24 > END:
                answered = False
            agent = (final_mgr[i] if isbig and r.random() < 0.5 else r.choice(AGENTS)) if answered else None
            push(t, "Inbound", chan, topic, 1 if answered else 0, round(hrs, 2) if answered else None, agent)
            if depth < 2 and (not answered or hrs > 48):
                if r.random() < (0.6 if neg else 0.4):
                    t2 = t + (r.uniform(1.5, 8) if not answered else r.uniform(1.5, max(2, hrs / 24)))
                    if chase_cap is None or t2 < chase_cap:
                        orig = topic if not topic.lower().startswith(("re:", "fwd:", "call")) else topic.split(":", 1)[-1].strip()
                        inbound(t2, text("chase", t2, {"orig": orig}, "c"), "email" if r.random() < 0.7 else "call",
                                depth + 1, chase_cap)

        def complaint(t, cat, p_unres=0.04, med=2.5, contact_p=0.75, chan=None, bank=None):
            if t > END or t < max(sgn, 0):
                return
            if chan is None:
                u = r.random()
                chan = "email" if u < 0.5 else ("chat" if u < 0.75 else "call")
            t = daytime(t, chan, r)
            if r.random() < contact_p:
                topic = text(bank or ("cmp_" + cat), t, None, "c")
                inbound(t - r.uniform(0.001, 0.03), topic, chan, retime=False)
            k = last_order_before(t)
            row = len(CP["t"])
            CP["cust"].append(i)
            CP["t"].append(t)
            CP["cat"].append(cat)
            if k >= 0 and r.random() < 0.7:
                pend_cp.append((row, o_base + k))
            CP["ordref"].append(None)
            res = None
            if r.random() >= p_unres:
                rt = t + r.lognormvariate(math.log(med), 0.8)
                if rt < END:
                    res = rt
            CP["res"].append(res)
            if res is not None:
                if r.random() < 0.5:
                    out(res, text("resolve_out", res), "email" if r.random() < 0.8 else "call")
                if r.random() < 0.25:
                    st = res + r.uniform(0.2, 3)
                    sc = sat[i] - (1.0 if res - t < 4 else 3.5) + r.gauss(0, 1.5)
                    survey(st, "pulse", sc)
            elif r.random() < 0.15:
                st = t + 14 + r.uniform(0, 3)
                survey(st, "pulse", r.uniform(0, 3.5))

        def survey(t, kind, score, reason_=None, comment=None, style=None):
            if t > END or t < max(sgn, 0):
                return
            S["cust"].append(i)
            S["t"].append(t)
            S["kind"].append(kind)
            S["score"].append(None if score is None else int(min(10, max(0, round(score)))))
            S["reason"].append(reason_)
            S["comment"].append(comment)
            S["fmt"].append(style or ("local" if kind == "pulse" else "naive"))

        active_end = min(e + 30, END)

        # --------------- outbound: campaigns (vectorised), welcome, reminders, follow-ups, win-back
        if opt[i] or sms[i]:
            ok = (camp_day >= sgn) & ((~camp_sms & opt[i]) | (camp_sms & sms[i]))
            if n_ord:
                lo = np.searchsorted(orders_t, camp_day) - 1
                last = np.where(lo >= 0, orders_t[np.maximum(lo, 0)], sgn)
                ok &= (camp_day - np.maximum(last, sgn) < 365)
            else:
                ok &= camp_day - sgn < 365
            unsub = None
            if ch and r.random() < (0.25 if rs == 2 else 0.12):
                unsub = e + r.uniform(-30, 40)
            elif r.random() < 0.05:
                unsub = r.uniform(max(sgn, 0), END + 200)
            if unsub is not None:
                ok &= camp_day < unsub
                if unsub < END and r.random() < 0.4:
                    inbound(unsub, text("unsub", unsub, None, "c"), "email" if r.random() < 0.7 else "sms")
            k = np.flatnonzero(ok)
            if len(k):
                CAMP["cust"].append(np.full(len(k), i))
                CAMP["k"].append(k)
        if n_ord:
            if sgn >= 0 and r.random() < 0.9:
                out(orders_t[0] + r.uniform(0.05, 2), text("welcome_out", orders_t[0]), "email", "system")
            gaps = np.diff(np.append(orders_t, END + 1e4))
            neg_fu = 0.1
            for k in range(n_ord):
                t0 = orders_t[k]
                # post-purchase follow-up
                pf = 0.35 if isbig else (0.25 if (k == 0 and sgn >= 0) else 0.04)
                if isbig and silence_from is not None and t0 >= silence_from:
                    pf *= 0.08
                if in_neglect(t0):
                    pf *= neg_fu
                if r.random() < pf:
                    tf = t0 + r.uniform(2, 9)
                    if tf < orders_t[k] + gaps[k]:
                        out(tf, text("follow_out", tf), "call" if (isbig or r.random() < 0.3) else ("sms" if r.random() < 0.3 else "email"),
                            final_mgr[i] if isbig else None)
                # restock reminder / autoship reminders
                if autoship[i]:
                    if r.random() < 0.12:
                        out(t0 - 3 + r.uniform(0, 0.3), text("autoship_out", t0), "email" if r.random() < 0.6 else "sms", "system")
                elif remind[i] and mu[i] < 120 and gaps[k] > 1.25 * mu[i]:
                    tr = t0 + 1.1 * mu[i] + r.uniform(0, 4)
                    if not ((in_neglect(tr)) and r.random() < 0.6):
                        out(tr, text("remind_out", tr), "email", "system")
                # win-back
                if opt[i] and gaps[k] > 75:
                    tw = t0 + r.uniform(60, 70)
                    out(tw, text("winback_out", tw), "email", "system")
                    if gaps[k] > 160 and r.random() < 0.7:
                        tw = t0 + r.uniform(150, 160)
                        out(tw, text("winback_out", tw), "email", "system")
                # delivery disruption notices
                if disrupt[min(int(t0), len(disrupt) - 1)] and r.random() < 0.6:
                    out(t0 + r.uniform(0.5, 2), text("delay_out", t0 + 1), "email", "system")
                    if r.random() < 0.08:
                        complaint(t0 + r.uniform(2, 6), "delivery")
                elif r.random() < 0.010:
                    complaint(t0 + r.uniform(1, 6), "delivery", med=2.0)
            if loyal[i]:
                for y in (2023, 2024, 2025):
                    for mth in (1, 7):
                        tl = dday("%d-%02d-05" % (y, mth)) + 0.3
                        if sgn < tl < active_end + 180 and tl < END and r.random() < 0.9:
                            out(tl, text("loyalty_out", tl), "email", "system")
            if autoship[i]:
                if ch and (r.random() < 0.85 or (rs == 4 and sb == 1)):
                    cancelled[i] = e - r.uniform(0, 12)
                elif not ch and r.random() < 0.22:
                    cancelled[i] = r.uniform(s, END)
                elif ch:
                    cancelled[i] = e + r.uniform(10, 40)       # lapsed on a failed card
                if cancelled[i] > END:
                    cancelled[i] = np.nan
            if price[min(int(s), len(price) - 1)] < 1.05 and autoship[i] and e > rise_day:
                out(rise_day - 14 + 0.3, text("price_rise_out", rise_day), "email", "system")

        # --------------- big accounts: manager calls, reviews, handovers
        if isbig and n_ord:
            m0 = mgr[i]
            cur = m0
            handovers = []
            if m0 in MGR_LEAVE and MGR_LEAVE[m0] < e:
                succ = "E0630" if m0 == "E0207" else "E0744"
                handovers.append((MGR_LEAVE[m0], succ, r.random() < 0.7, r.uniform(20, 90)))
            if handover is not None:
                newm = r.choice([m for m in MANAGERS if m not in MGR_LEAVE])
                handovers.append((handover, newm, r.random() < 0.6, 1e9))
            handovers.sort()
            t = max(s, 0) + r.uniform(0, MGR_GAP[m0])
            hi = 0
            quiet_until = -1e9
            while t < min(e, END):
                while hi < len(handovers) and handovers[hi][0] <= t:
                    hd, cur, intro, quiet = handovers[hi]
                    if intro:
                        out(hd + r.uniform(0, 35), text("handover_out", hd), "email" if r.random() < 0.5 else "call", cur)
                    quiet_until = hd + quiet
                    hi += 1
                gap = MGR_GAP[cur]
                p_call = 1.0
                if silence_from is not None and t >= silence_from:
                    p_call = 0.12
                elif t < quiet_until:
                    p_call = 0.3
                if in_neglect(t):
                    p_call *= 0.2
                if r.random() < p_call:
                    out(t, text("big_out", t), "meeting" if r.random() < 0.1 else ("call" if r.random() < 0.8 else "email"), cur)
                t += r.lognormvariate(math.log(gap), 0.4)
            for hd, newm, _, _ in handovers:
                if hd < END:
                    final_mgr[i] = newm
            for y in (2023, 2024, 2025):
                tr_ = dday("%d-01-15" % y) + (int(ids[i]) * 37 % 300)
                if max(s, 0) < tr_ < min(e, END) and r.random() < 0.75 and not (silence_from is not None and tr_ > silence_from):
                    out(tr_, text("big_review", tr_), "meeting" if r.random() < 0.6 else "call", final_mgr[i] if tr_ > (handover or 1e9) else mgr[i])

        # --------------- inbound routine
        if n_ord or r.random() < 0.15:
            span_a = max(sgn, 0)
            span = max(active_end - span_a, 0)
            lam = inb_rate[i] * span / 365.25
            nin = int(rng.poisson(lam))
            for _ in range(nin):
                t = r.uniform(span_a, span_a + span)
                if isbig and r.random() < 0.45:
                    inbound(t, text("big_in", t, None, "c"), "email" if r.random() < 0.6 else "call")
                elif r.random() < 0.2:
                    inbound(t, text("call_in", t), "call")
                else:
                    inbound(t, text("routine", t, None, "c"))
            # background complaints (service/quality/other) at a low rate
            for _ in range(int(rng.poisson(0.05 * span / 365.25))):
                t = r.uniform(span_a, span_a + span)
                cat = r.choice(["quality", "service", "other", "price", "quality", "service"])
                complaint(t, cat, p_unres=0.05, med=3.0, contact_p=0.6)
            # returns leave a message sometimes
            for tr_ in returned_t:
                if r.random() < 0.35:
                    inbound(tr_ + r.uniform(0.5, 6), text("return_in", tr_ + 1, None, "c"))
            if referred[i] >= 0 and r.random() < 0.3:
                inbound(max(sgn, 0) + r.uniform(3, 40), text("pt_noise", sgn + 5, None, "c"))
            if r.random() < 0.01:
                inbound(r.uniform(span_a, span_a + span), text("pt_noise", span_a, None, "c"))

        # --------------- global events
        if n_ord:
            # price rise
            if s < rise_day < e and r.random() < 0.05:
                t = rise_day + r.expovariate(1 / 20)
                if r.random() < 0.4:
                    complaint(t, "price", med=2.0, bank="cmp_price")
                else:
                    inbound(t, text("price_rise_in", t, None, "c"))
            # recall of a dog kibble batch
            if sp in (0, 2):
                k = last_order_before(recall_day)
                if k >= 0 and recall_day - orders_t[k] < 60 and e > recall_day:
                    if r.random() < 0.35:
                        out(recall_day + r.uniform(0.3, 0.6), text("recall_out", recall_day, {"brand": "Harringtons"}), "email", "system")
                    u = r.random()
                    if u < 0.08:
                        inbound(recall_day + r.expovariate(1 / 5), text("recall_in", recall_day, None, "c"))
                    elif u < 0.12:
                        complaint(recall_day + r.expovariate(1 / 6), "quality", med=3.0)
            # rival campaign
            if s < rival_a and e > rival_a and r.random() < 0.015:
                t = r.uniform(rival_a, rival_b)
                inbound(t, text("comp_mention", t, {"comp": "Butternut Box" if r.random() < 0.5 else "Zooplus"}, "c"))

        # --------------- noise episodes with contacts
        if q_ep is not None and q_ep < e:
            complaint(q_ep, "quality", p_unres=0.12, med=4)
            if r.random() < 0.3:
                complaint(q_ep + r.uniform(5, 40), r.choice(["quality", "service"]), p_unres=0.15, med=5)
        if deal is not None and deal[0] < e:
            if r.random() < 0.25:
                complaint(r.uniform(deal[0], min(deal[1], e)), "price", med=2, bank="cmp_price")
            if r.random() < 0.35:
                t = r.uniform(deal[0], min(deal[1], e))
                inbound(t, text("comp_mention", t, None, "c"))
        if move_day is not None and not (ch and rs == 4):
            if r.random() < 0.75:
                inbound(move_day - r.uniform(0, 20), text("move", move_day, None, "c"))
            if r.random() < 0.85:
                cust_region[i] = new_reg
        if pet_death_noise is not None and pet_death_noise < e:
            if r.random() < 0.6:
                inbound(pet_death_noise + r.uniform(0, 3), text("pet_died_stay", pet_death_noise, None, "c"))
            if r.random() < 0.5:
                t = pet_death_noise + r.uniform(30, 150)
                if t < e:
                    inbound(t, text("new_pet", t, None, "c"))

        # --------------- reason-specific traces
        if ch:
            if rs == 0:
                for a0, b0 in neglect[-1:] if neglect else []:
                    for _ in range(int(rng.poisson(1.0))):
                        t = r.uniform(max(a0, s), min(b0, e))
                        inbound(t, text("neglect_in", t, None, "c"), chase_cap=e + 45)
                    if r.random() < 0.15:
                        complaint(r.uniform(max(a0, s), e), "service", p_unres=0.3, med=8, bank="cmp_service")
            elif rs == 1 and issue is not None:
                ncp = 1 + (r.random() < 0.45) + (r.random() < 0.15)
                t = issue
                for q in range(ncp):
                    cat = "quality" if (q == 0 and r.random() < 0.75) else r.choice(["quality", "service", "service", "delivery"])
                    complaint(t, cat, p_unres=0.35, med=9, contact_p=0.85)
                    if r.random() < 0.35:
                        inbound(t + r.uniform(4, 15), text("chase", t + 5, {"orig": "complaint about order \x00"}, "c"))
                    t = t + r.uniform(3, 60)
                    if t > e + 5:
                        break
            elif rs == 2:
                w0 = e - r.uniform(30, 200)
                if r.random() < 0.35:
                    complaint(r.uniform(w0, e), "price", med=2.5, bank="cmp_price", contact_p=0.8)
                if r.random() < 0.45:
                    for _ in range(1 + (r.random() < 0.3)):
                        t = r.uniform(w0, e + 3)
                        inbound(t, text("comp_mention", t, None, "c"))
            elif rs == 3:
                if r.random() < 0.12:
                    t = e + r.uniform(-20, 20)
                    inbound(t, text("pt_mention", t, None, "c"), "email" if r.random() < 0.7 else "call")
                elif autoship[i] and r.random() < 0.4:
                    inbound(e - r.uniform(0, 10), cust_style("Cancel repeat delivery please", r))
            elif rs == 4:
                if sb == 0:
                    u = r.random()
                    if u < 0.62:
                        t = move_day - r.uniform(0, 25)
                        inbound(t, text("move_abroad" if abroad else "move", t, None, "c"))
                    if reg_updated:
                        cust_region[i] = new_reg
                elif sb == 1:
                    if r.random() < 0.45:
                        t = e + r.uniform(-3, 10)
                        inbound(t, text("pet_died", t, None, "c"))
                        if r.random() < 0.3:
                            out(t + r.uniform(1, 5), text("pet_died_out", t), "email", None)
                elif sb == 2:
                    if r.random() < 0.5:
                        t = e + r.uniform(5, 60)
                        inbound(t, text("owner_died", t, None, "c"), "email" if r.random() < 0.6 else "call")
            if r.random() < 0.03:
                t = e + r.uniform(10, 120)
                inbound(t, text("after_churn_in", t, None, "c"))

        # --------------- surveys: NPS waves, exit
        if n_ord:
            for w in nps_waves:
                k = last_order_before(w)
                if k < 0 or w - orders_t[k] > 180:
                    continue
                if r.random() < 0.35 * (0.23 if not isbig else 0.4):
                    t = w + r.expovariate(1 / 3)
                    sc = sat[i] + r.gauss(0, 1.3)
                    if issue is not None and t > issue:
                        sc -= 3.5
                    if q_ep is not None and 0 < t - q_ep < 90:
                        sc -= 2.5
                    if in_neglect(t):
                        sc -= 1.5
                    if disc_win is not None and t > disc_win[0]:
                        sc -= 1.0
                    if deal is not None and deal[0] < t < deal[1]:
                        sc -= 0.7
                    if ch and rs == 1 and silent_pq:
                        sc -= 1.5
                    survey(t, "pulse", sc)
            if ch:
                if r.random() < 0.24:
                    t = e + r.uniform(3, 110)
                    if r.random() < 0.78:
                        rep = rs
                    else:
                        others = [x for x in range(5) if x != rs]
                        w_ = np.array([0.35, 0.25, 0.30, 0.05, 0.05])[others]
                        rep = others[int(rng.choice(4, p=w_ / w_.sum()))]
                    sc = None if r.random() < 0.5 else min(sat[i], 6) + r.gauss(-1, 2)
                    com = r.choice(T["exit_comment"][rep]) if r.random() < 0.4 else None
                    survey(t, "exit", sc, REASONS[rep], com)
            else:
                # lapsed customers get the exit survey too; a few answer it and come back
                if n_ord > 1:
                    g = np.diff(orders_t)
                    k = int(np.argmax(g))
                    if g[k] > 110 and r.random() < 0.06:
                        t = orders_t[k] + r.uniform(95, min(110, g[k] - 1))
                        rep = int(rng.choice(5, p=[0.45, 0.2, 0.25, 0.05, 0.05]))
                        survey(t, "exit", None if r.random() < 0.5 else r.uniform(3, 8), REASONS[rep],
                               r.choice(T["exit_comment"][rep]) if r.random() < 0.3 else None)

        # referral thank-you to the referrer
        if referred[i] >= 0 and n_ord and r.random() < 0.6:
            j = referred[i]
            t = s + r.uniform(1, 10)
            if t < END:
                C["cust"].append(j)
                C["t"].append(t)
                C["dir"].append("Outbound")
                C["chan"].append("email")
                C["topic"].append(r.choice(T["refer_out"]).format(shop=SHOP))
                C["ans"].append(None)
                C["resp"].append(None)
                C["agent"].append("system")

    return dict(ids=ids, signup=signup, seg=seg, region=cust_region, loyal=loyal, referred=referred, mgr=final_mgr,
                big=big, cancelled=cancelled, churn=churn, Tch=Tch, reason=reason, opt=opt, species=species,
                O=O, C=C, CAMP=CAMP, CP=CP, S=S, pend_ord=pend_ord, pend_cp=pend_cp, camps=camps)


# --------------------------------------------------------------------------- writing
def write_table(con, name, cols, df):
    con.execute("DROP TABLE IF EXISTS %s" % name)
    con.execute("CREATE TABLE %s (%s)" % (name, ", ".join("%s %s" % (c, t) for c, t in cols)))
    names = [c for c, _ in cols]
    data = []
    for c, t in cols:
        v = df[c].to_numpy(object) if c in df else np.full(len(df), None, object)
        v = np.where(pd.isna(v), None, v)
        if t == "INTEGER":
            v = np.array([None if x is None else int(x) for x in v], object)
        elif t == "REAL":
            v = np.array([None if x is None else float(x) for x in v], object)
        data.append(v)
    con.executemany("INSERT INTO %s (%s) VALUES (%s)" % (name, ", ".join(names), ", ".join("?" * len(names))),
                    zip(*data))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--customers", type=int, default=50000)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    t0 = time.time()
    os.makedirs(a.out, exist_ok=True)
    G = generate(a.customers, a.seed)
    ids = G["ids"]
    N = len(ids)

    # ---- orders: sort by time, number them
    O = G["O"]
    cat = lambda k, dt=None: np.concatenate(O[k]) if O[k] else np.zeros(0, dt)
    oc, ot, oamt, odisc, oret, oreg, okind = (cat("cust", int), cat("t"), cat("amt"), cat("disc"), cat("ret", np.int8),
                                              cat("reg", object), cat("kind", np.int8))
    order_ix = np.argsort(ot, kind="stable")
    rank = np.empty(len(ot), np.int64)
    rank[order_ix] = np.arange(len(ot))
    oid = np.where(okind == 0, np.char.add("", (4000000 + rank).astype(str)).astype(object),
                   np.char.add("RF-", (700000 + rank).astype(str)).astype(object))
    orders = pd.DataFrame({"order_id": oid, "customer_id": ids[oc], "ordered_at": fmt(ot, "naive"),
                           "amount": oamt, "discount_amount": odisc, "returned": oret.astype(int), "region": oreg,
                           "currency": "GBP"}).iloc[order_ix]
    # sales channel column (outside the contract)
    rr = np.random.default_rng(a.seed + 99)
    orders["sales_channel"] = rr.choice(["web", "app", "phone"], len(orders), p=[0.62, 0.33, 0.05])

    # ---- contacts
    C = G["C"]
    topics = np.array(C["topic"], object)
    for row, g in G["pend_ord"]:
        topics[row] = topics[row].replace("\x00", oid[g])
    ct = np.array(C["t"], float)
    cst = np.array(C["cust"], int)
    camps = G["camps"]
    if G["CAMP"]["cust"]:
        kc = np.concatenate(G["CAMP"]["cust"])
        kk = np.concatenate(G["CAMP"]["k"])
    else:
        kc = kk = np.zeros(0, int)
    camp_t = np.array([c[0] for c in camps]) + (np.arange(len(camps)) % 5) / 1440.0
    camp_t_rows = camp_t[kk] + rr.integers(0, 3600, len(kk)) / 86400.0
    camp_keep = camp_t_rows <= END
    kc, kk, camp_t_rows = kc[camp_keep], kk[camp_keep], camp_t_rows[camp_keep]
    hd = pd.DataFrame({"customer_id": ids[cst], "contacted_at": fmt(ct, "local"), "direction": C["dir"],
                       "channel": C["chan"], "topic": topics, "answered": pd.array(C["ans"], dtype="Int64"),
                       "response_hours": pd.array(C["resp"], dtype="Float64"), "agent_id": C["agent"], "_t": ct})
    hd.loc[hd["agent_id"] == "system", "direction"] = "outbound"
    cp = pd.DataFrame({"customer_id": ids[kc], "contacted_at": fmt(camp_t_rows, "naive"), "direction": "outbound",
                       "channel": np.array([camps[k][2] for k in range(len(camps))], object)[kk],
                       "topic": np.array([camps[k][1] for k in range(len(camps))], object)[kk],
                       "answered": pd.array([None] * len(kk), dtype="Int64"),
                       "response_hours": pd.array([None] * len(kk), dtype="Float64"), "agent_id": "mailer", "_t": camp_t_rows})
    contacts = pd.concat([hd, cp], ignore_index=True).sort_values("_t", kind="stable")
    contacts.insert(0, "contact_id", np.arange(1, len(contacts) + 1) + 880000)
    contacts = contacts.drop(columns="_t")

    # ---- complaints
    CP = G["CP"]
    cpt = np.array(CP["t"], float)
    cres = np.array([np.nan if x is None else x for x in CP["res"]], float)
    ordref = np.array(CP["ordref"], object)
    for row, g in G["pend_cp"]:
        ordref[row] = oid[g]
    comp = pd.DataFrame({"customer_id": ids[np.array(CP["cust"], int)], "opened_at": fmt(cpt, "naive"),
                         "category": CP["cat"], "resolved_at": np.where(np.isnan(cres), None, fmt(np.nan_to_num(cres), "naive")),
                         "status": np.where(np.isnan(cres), "open", "closed"), "order_ref": ordref, "_t": cpt})
    comp = comp.sort_values("_t", kind="stable").drop(columns="_t")
    comp.insert(0, "complaint_id", ["CMP-%06d" % (k + 1) for k in range(len(comp))])

    # ---- surveys
    S = G["S"]
    st = np.array(S["t"], float)
    sfmt = np.array(S["fmt"], object)
    stxt = np.where(sfmt == "local", fmt(st, "local"), fmt(st, "naive_min"))
    surveys = pd.DataFrame({"customer_id": ids[np.array(S["cust"], int)], "answered_at": stxt, "kind": S["kind"],
                            "score": pd.array(S["score"], dtype="Int64"), "reason": S["reason"], "comment": S["comment"], "_t": st})
    surveys = surveys.sort_values("_t", kind="stable").drop(columns="_t")
    surveys.insert(0, "response_id", np.arange(1, len(surveys) + 1) + 50000)

    # ---- customers
    ref = G["referred"]
    cancelled = G["cancelled"]
    customers = pd.DataFrame({
        "customer_id": ids, "signed_up_at": fmt(G["signup"], "date"),
        "segment": np.array(SEGMENTS, object)[G["seg"]], "region": G["region"],
        "loyalty_member": G["loyal"].astype(int),
        "referred_by": np.where(ref >= 0, ids[np.maximum(ref, 0)], None),
        "manager_id": np.where(G["mgr"] == "", None, G["mgr"]),
        "cancelled_at": np.where(np.isnan(cancelled), None, fmt(np.nan_to_num(cancelled), "naive")),
        "marketing_opt_in": G["opt"].astype(int),
        "pet_type": np.array(["dog", "cat", "dog;cat", "small animal"], object)[G["species"]],
    })

    path = os.path.join(a.out, "crm.db")
    if os.path.exists(path):
        os.remove(path)
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=OFF")
    con.execute("PRAGMA synchronous=OFF")
    write_table(con, "customers", [("customer_id", "TEXT"), ("signed_up_at", "TEXT"), ("segment", "TEXT"), ("region", "TEXT"),
                                   ("loyalty_member", "INTEGER"), ("referred_by", "TEXT"), ("manager_id", "TEXT"),
                                   ("cancelled_at", "TEXT"), ("marketing_opt_in", "INTEGER"), ("pet_type", "TEXT")], customers)
    write_table(con, "orders", [("order_id", "TEXT"), ("customer_id", "TEXT"), ("ordered_at", "TEXT"), ("amount", "REAL"),
                                ("discount_amount", "REAL"), ("returned", "INTEGER"), ("region", "TEXT"), ("currency", "TEXT"),
                                ("sales_channel", "TEXT")], orders)
    write_table(con, "contacts", [("contact_id", "INTEGER"), ("customer_id", "TEXT"), ("contacted_at", "TEXT"), ("direction", "TEXT"),
                                  ("channel", "TEXT"), ("topic", "TEXT"), ("answered", "INTEGER"), ("response_hours", "REAL"),
                                  ("agent_id", "TEXT")], contacts)
    write_table(con, "complaints", [("complaint_id", "TEXT"), ("customer_id", "TEXT"), ("opened_at", "TEXT"), ("category", "TEXT"),
                                    ("resolved_at", "TEXT"), ("status", "TEXT"), ("order_ref", "TEXT")], comp)
    write_table(con, "surveys", [("response_id", "INTEGER"), ("customer_id", "TEXT"), ("answered_at", "TEXT"), ("kind", "TEXT"),
                                 ("score", "INTEGER"), ("reason", "TEXT"), ("comment", "TEXT")], surveys)
    con.commit()
    con.close()

    churn = G["churn"]
    truth = pd.DataFrame({"customer_id": ids,
                          "churned_at": np.where(churn, fmt(np.where(churn, G["Tch"], 0), "utc_off"), ""),
                          "true_reason": np.where(churn, np.array(REASONS + [""], object)[G["reason"]], "")})
    truth.to_csv(os.path.join(a.out, "truth.csv"), index=False)
    print("wrote %s: customers=%d orders=%d contacts=%d complaints=%d surveys=%d churned=%d in %.1fs" %
          (a.out, len(customers), len(orders), len(contacts), len(comp), len(surveys), int(churn.sum()), time.time() - t0))


if __name__ == "__main__":
    main()
