"""A synthetic CRM whose churners leave for known reasons: ground truth for every later claim.

The story, per customer (vectorised over all customers with numpy; deterministic for a seed):
- joins at some day, with a personal order rate and basket size (gamma heterogeneity), a contact
  intensity from the company, a habit of writing in, and a complaint proneness;
- may churn: a churn day is drawn from an exponential lifetime; a churner's true reason is drawn
  from the configured shares, and in the months before the churn day that reason's traces grow
  gradually (a "ramp"), noisy, and weaker or stronger from customer to customer;
- may live through an "episode": the same traces rise and fade again without churning, so no
  single signal gives a churner away;
- exit surveys: some churners answer, mostly with their true reason.

Events are drawn as Poisson processes by thinning: candidates at the highest rate, each kept with
the probability given by the time-varying multiplier (signals and season) at its time.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from features.config import load_reasons

# The generator's stories are written per reason, so it names them; a test keeps them equal to
# the codes declared in configs/reasons.yaml.
REASON_CODES = ("indifference", "product_quality", "competitor", "personal_ties", "moved_or_died")
INDIFFERENCE, QUALITY, COMPETITOR, PERSONAL_TIES, MOVED = range(len(REASON_CODES))
NO_REASON = -1
# Days over which a churner's traces build up, by true reason (indices as in REASON_CODES). A reason
# develops for months before the customer stops: long enough that a 90-day horizon's leavers already
# show it at the as-of date (with ramps of a few weeks, no method could say why they will leave).
RAMP_DAYS = np.array([[150, 300], [120, 270], [120, 270], [90, 180], [60, 150]], dtype=float)
REGIONS = ("capital", "north", "south", "east", "west", "central", "coast", "lakes", "hills", "islands")
REGION_WEIGHTS = np.array([0.25, 0.12, 0.12, 0.1, 0.1, 0.09, 0.08, 0.06, 0.05, 0.03])
SEGMENTS = ("retail", "small_business", "enterprise")
OUTBOUND_CHANNELS = ("call", "email", "meeting", "sms")
OUTBOUND_TOPICS = ("check-in", "new offer", "reminder", "annual review")
INBOUND_CHANNELS = ("call", "email", "chat")
INBOUND_TOPICS = ("order status", "invoice", "product question", "delivery date")
COMPLAINT_CATEGORIES = ("quality", "service", "price", "delivery", "other")
MANAGERS = 60
DAY_SECONDS = 86_400


@dataclass(frozen=True)
class SyntheticCRM:
    """The five contract tables, plus `truth` (customer_id, churned_at, true_reason)."""

    tables: dict[str, pd.DataFrame]
    truth: pd.DataFrame


@dataclass
class _Population:
    """Per-customer arrays; index i is customer i, ids are given in sign-up order."""

    start: pd.Timestamp
    window_days: float  # length of the history window, in days
    signup: np.ndarray  # day of sign-up (negative: before the window opens)
    active_from: np.ndarray
    active_until: np.ndarray  # churn day, or the window's end for stayers
    churned: np.ndarray
    churn_reason: np.ndarray  # NO_REASON for stayers
    ramp_start: np.ndarray
    ramp_days: np.ndarray
    ramp_strength: np.ndarray
    episode_reason: np.ndarray  # NO_REASON where no episode
    episode_start: np.ndarray
    episode_days: np.ndarray
    episode_strength: np.ndarray
    move_day: np.ndarray  # day the customer moves region; inf if never
    home_region: np.ndarray
    new_region: np.ndarray
    order_rate: np.ndarray  # orders per day
    basket: np.ndarray  # mean order amount
    outbound_rate: np.ndarray
    followup_probability: np.ndarray
    inbound_rate: np.ndarray
    complaint_rate: np.ndarray
    pulse_rate: np.ndarray  # 0 for customers who never answer pulse surveys

    def signal(self, reason: int, customer: np.ndarray, day: np.ndarray) -> np.ndarray:
        """How strongly `reason`'s traces show for these customers on these days, in [0, 1]."""
        # The ramp reaches full strength after 60% of its length: the last months are the loudest.
        ramp_progress = (day - self.ramp_start[customer]) / (0.6 * self.ramp_days[customer])
        ramp = np.clip(ramp_progress, 0, 1) * self.ramp_strength[customer]
        strength = np.where(self.churn_reason[customer] == reason, ramp, 0.0)
        half = self.episode_days[customer] / 2
        episode_mid = self.episode_start[customer] + half
        rise_and_fade = np.clip(1 - np.abs(day - episode_mid) / half, 0, 1) * self.episode_strength[customer]
        strength += np.where(self.episode_reason[customer] == reason, rise_and_fade, 0.0)
        return np.clip(strength, 0, 1)

    def decline(self, customer: np.ndarray, day: np.ndarray) -> np.ndarray:
        """Buying slows down before any churn, whatever the reason: the activity symptom."""
        progress = np.clip((day - self.ramp_start[customer]) / self.ramp_days[customer], 0, 1)
        return np.where(self.churned[customer], progress * self.ramp_strength[customer], 0.0)


def generate_crm(
    n_customers: int,
    seed: int,
    start: str | pd.Timestamp = "2023-01-01",
    end: str | pd.Timestamp = "2025-12-31",
    reason_shares: dict[str, float] | None = None,
) -> SyntheticCRM:
    """Generate a seller's CRM history between `start` and `end` (inclusive, UTC days).

    Args:
        n_customers: customers who are active at some point in the window.
        seed: the same seed and arguments give the same tables, row for row.
        start: first day of the history.
        end: last day of the history.
        reason_shares: share of each true churn reason among churners (keys of REASON_CODES);
            by default the survey shares declared in `configs/reasons.yaml`.
    """
    start_day = pd.Timestamp(start).normalize().tz_localize(None)
    end_day = pd.Timestamp(end).normalize().tz_localize(None)
    if n_customers < 1:
        raise ValueError("n_customers must be at least 1")
    if end_day <= start_day + pd.Timedelta(days=90):
        raise ValueError("the history must span more than 90 days")
    shares = _share_vector(reason_shares)
    rng = np.random.default_rng(seed)
    population = _draw_population(rng, n_customers, start_day, (end_day - start_day).days + 1, shares)
    customer_ids = np.array([f"C{i:07d}" for i in range(1, n_customers + 1)], dtype=object)
    orders = _orders(rng, population)
    tables = {
        "customers": _customers(rng, population, customer_ids),
        "orders": orders,
        "contacts": _contacts(rng, population, orders),
        "complaints": _complaints(rng, population),
        "surveys": _surveys(rng, population),
    }
    truth = _truth(population)
    tables = {
        name: _with_customer_ids(frame, customer_ids, population.start) for name, frame in tables.items()
    }
    return SyntheticCRM(tables, _with_customer_ids(truth, customer_ids, population.start))


def _share_vector(reason_shares: dict[str, float] | None) -> np.ndarray:
    if not reason_shares:
        reason_shares = {reason.code: reason.survey_share for reason in load_reasons()}
    unknown = set(reason_shares) - set(REASON_CODES)
    if unknown:
        raise ValueError(f"unknown reason codes {sorted(unknown)}")
    shares = np.array([reason_shares.get(code, 0.0) for code in REASON_CODES], dtype=float)
    return shares / shares.sum()


def _draw_population(
    rng: np.random.Generator, n: int, start: pd.Timestamp, days: int, shares: np.ndarray
) -> _Population:
    # A third were customers before the window opens; the rest join over it, none in its last month.
    signup = np.where(rng.random(n) < 0.35, -rng.uniform(0, 730, n), rng.uniform(0, days - 30, n))
    signup.sort()
    active_from = np.maximum(signup, 0.0)
    order_rate = np.clip(rng.gamma(1.6, 1 / (1.6 * 30), n), 1 / 365, 1 / 3)
    # Frequent buyers stay longer: lifetime scales mildly with the order rate.
    lifetime = rng.exponential(1400 * (order_rate * 30) ** 0.3, n)
    churn_day = active_from + 45 + lifetime
    churned = churn_day < days
    churn_reason = np.where(churned, rng.choice(len(REASON_CODES), n, p=shares), NO_REASON)
    reason_for_ramp = np.maximum(churn_reason, 0)
    ramp_days = rng.uniform(RAMP_DAYS[reason_for_ramp, 0], RAMP_DAYS[reason_for_ramp, 1])
    active_until = np.where(churned, churn_day, float(days))

    has_episode = rng.random(n) < 0.3
    episode_reason = np.where(has_episode, rng.choice(len(REASON_CODES), n, p=shares), NO_REASON)
    episode_days = rng.uniform(60, 240, n)

    # Moves: most moved_or_died churners move two to five months before they stop buying (orders
    # from the new region trail off); the rest die: no trace but the stop. 3% of all customers move
    # and stay.
    moving_churner = churned & (churn_reason == MOVED) & (rng.random(n) < 0.9)
    moving_stayer = (rng.random(n) < 0.03) & (churn_reason != MOVED)
    stayer_move_day = rng.uniform(active_from, active_until)
    move_day = np.where(
        moving_churner,
        churn_day - rng.uniform(45, 150, n),
        np.where(moving_stayer, stayer_move_day, np.inf),
    )
    home_region = rng.choice(len(REGIONS), n, p=REGION_WEIGHTS)
    new_region = (home_region + rng.integers(1, len(REGIONS), n)) % len(REGIONS)

    return _Population(
        start=start,
        window_days=float(days),
        signup=signup,
        active_from=active_from,
        active_until=active_until,
        churned=churned,
        churn_reason=churn_reason,
        ramp_start=churn_day - ramp_days,
        ramp_days=ramp_days,
        ramp_strength=rng.uniform(0.55, 1.0, n),
        episode_reason=episode_reason,
        episode_start=rng.uniform(active_from - 120, active_until, n),
        episode_days=episode_days,
        episode_strength=rng.uniform(0.2, 0.7, n),
        move_day=move_day,
        home_region=home_region,
        new_region=new_region,
        order_rate=order_rate,
        basket=rng.gamma(2.0, 60.0, n) + 10,
        outbound_rate=rng.gamma(2.0, 1 / (2.0 * 35), n),
        followup_probability=rng.beta(4, 4, n),
        inbound_rate=rng.gamma(1.5, 1 / (1.5 * 90), n),
        complaint_rate=rng.gamma(1.0, 1 / 500, n),
        pulse_rate=np.where(rng.random(n) < 0.35, 1 / 120, 0.0),
    )


def _candidates(
    rng: np.random.Generator, rate: np.ndarray, first_day: np.ndarray, last_day: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Homogeneous Poisson events per customer on [first_day, last_day): (customer, day) arrays."""
    span = np.maximum(last_day - first_day, 0.0)
    counts = rng.poisson(rate * span)
    customer = np.repeat(np.arange(len(rate)), counts)
    day = first_day[customer] + rng.random(len(customer)) * span[customer]
    return customer, day


def _keep(rng: np.random.Generator, customer: np.ndarray, day: np.ndarray, probability: np.ndarray):
    kept = rng.random(len(day)) < probability
    return customer[kept], day[kept]


def _season(day: np.ndarray, start: pd.Timestamp) -> np.ndarray:
    # Buying peaks in late November/December: a multiplier between 0.85 and 1.25.
    day_of_year = (start.day_of_year - 1 + day) % 365.25
    return 1.05 + 0.2 * np.cos(2 * np.pi * (day_of_year - 350) / 365.25)


def _orders(rng: np.random.Generator, pop: _Population) -> pd.DataFrame:
    customer, day = _candidates(rng, pop.order_rate * 1.25, pop.active_from, pop.active_until)
    multiplier = _season(day, pop.start) * (1 - 0.75 * pop.decline(customer, day))
    customer, day = _keep(rng, customer, day, multiplier / 1.25)
    order = np.argsort(day, kind="stable")
    customer, day = customer[order], day[order]

    competitor = pop.signal(COMPETITOR, customer, day)
    quality = pop.signal(QUALITY, customer, day)
    # A competitor's offer shrinks baskets and leaves only discounted purchases.
    amount = rng.gamma(4.0, pop.basket[customer] / 4.0) * (1 - 0.45 * competitor)
    discounted = rng.random(len(day)) < 0.15 + 0.7 * competitor
    discount = np.where(discounted, amount * rng.uniform(0.05, 0.3, len(day)), 0.0)
    returned = rng.random(len(day)) < 0.03 + 0.4 * quality
    moved = day >= pop.move_day[customer]
    region = np.where(moved, pop.new_region[customer], pop.home_region[customer])
    return pd.DataFrame(
        {
            "order_id": np.arange(1, len(day) + 1, dtype=np.int64),
            "customer_id": customer,
            "ordered_at": day,
            "amount": np.round(amount, 2),
            "discount_amount": np.round(discount, 2),
            "returned": returned,
            "region": pd.Categorical.from_codes(region, REGIONS),
        }
    )


def _contacts(rng: np.random.Generator, pop: _Population, orders: pd.DataFrame) -> pd.DataFrame:
    # Outbound: the company's own touches dry up when it grows indifferent.
    customer, day = _candidates(rng, pop.outbound_rate, pop.active_from, pop.active_until)
    customer, day = _keep(rng, customer, day, 1 - 0.95 * pop.signal(INDIFFERENCE, customer, day))
    channel = rng.choice(len(OUTBOUND_CHANNELS), len(day), p=[0.35, 0.45, 0.1, 0.1])
    topic = rng.choice(len(OUTBOUND_TOPICS), len(day), p=[0.4, 0.3, 0.2, 0.1])
    outbound = _contact_frame(
        customer, day, "outbound", _names(OUTBOUND_CHANNELS, channel), _names(OUTBOUND_TOPICS, topic)
    )

    # Follow-up calls a few days after an order, fewer when the company does not care.
    order_customer = orders["customer_id"].to_numpy()
    order_day = orders["ordered_at"].to_numpy()
    follow = pop.followup_probability[order_customer] * (
        1 - 0.95 * pop.signal(INDIFFERENCE, order_customer, order_day)
    )
    kept = rng.random(len(order_day)) < follow
    followup_day = order_day[kept] + rng.uniform(0.5, 6, kept.sum())
    in_window = followup_day < pop.window_days
    followups = _contact_frame(
        order_customer[kept][in_window], followup_day[in_window], "outbound", "call", "order follow-up"
    )

    # Inbound: customers write more when quality suffers; competitors' offers come up as topics.
    customer, day = _candidates(rng, pop.inbound_rate * 3, pop.active_from, pop.active_until)
    quality = pop.signal(QUALITY, customer, day)
    customer, day = _keep(rng, customer, day, (1 + 2 * quality) / 3)
    indifference = pop.signal(INDIFFERENCE, customer, day)
    competitor = pop.signal(COMPETITOR, customer, day)
    channel = rng.choice(len(INBOUND_CHANNELS), len(day), p=[0.4, 0.45, 0.15])
    topics = (*INBOUND_TOPICS, "competitor offer", "price question")
    topic = rng.choice(len(INBOUND_TOPICS), len(day))
    about_price = rng.random(len(day)) < 0.6 * competitor + 0.02
    topic = np.where(about_price, len(INBOUND_TOPICS) + rng.integers(0, 2, len(day)), topic)
    inbound = _contact_frame(
        customer, day, "inbound", _names(INBOUND_CHANNELS, channel), _names(topics, topic)
    )
    answered = rng.random(len(day)) < 0.93 - 0.6 * indifference
    hours = rng.lognormal(np.log(5), 1.0, len(day)) * (1 + 5 * indifference)
    inbound["answered"] = answered
    inbound["response_hours"] = np.where(answered, np.round(hours, 1), np.nan)

    # A relocation request around most moves.
    movers = np.flatnonzero(np.isfinite(pop.move_day) & (rng.random(len(pop.move_day)) < 0.85))
    move_contact_day = pop.move_day[movers] - rng.uniform(0, 30, len(movers))
    valid = (move_contact_day >= pop.active_from[movers]) & (move_contact_day < pop.window_days)
    relocation = _contact_frame(
        movers[valid], move_contact_day[valid], "inbound", "email", "relocation / address change"
    )
    relocation["answered"] = True
    relocation["response_hours"] = np.round(rng.lognormal(np.log(5), 1.0, valid.sum()), 1)

    contacts = pd.concat([outbound, followups, inbound, relocation], ignore_index=True)
    contacts["direction"] = pd.Categorical(contacts["direction"], categories=["inbound", "outbound"])
    contacts["answered"] = contacts["answered"].astype("boolean")  # only inbound rows say
    for column in ("channel", "topic"):
        contacts[column] = contacts[column].astype("category")
    return contacts.sort_values("contacted_at", kind="stable", ignore_index=True)


def _names(names: tuple[str, ...], codes: np.ndarray) -> np.ndarray:
    return np.asarray(names, dtype=object)[codes]


def _contact_frame(customer, day, direction: str, channel, topic) -> pd.DataFrame:
    """Contacts; `channel` and `topic` are one name for all rows or an array of names."""
    return pd.DataFrame(
        {
            "customer_id": customer,
            "contacted_at": day,
            "direction": direction,
            "channel": channel,
            "topic": topic,
        }
    )


def _complaints(rng: np.random.Generator, pop: _Population) -> pd.DataFrame:
    # Rates per day: the customer's own proneness, plus bursts driven by quality and price trouble.
    quality_peak, price_peak = 1 / 35, 1 / 100
    customer, day = _candidates(
        rng, pop.complaint_rate + quality_peak + price_peak, pop.active_from, pop.active_until
    )
    base = pop.complaint_rate[customer]
    quality_rate = quality_peak * pop.signal(QUALITY, customer, day)
    price_rate = price_peak * pop.signal(COMPETITOR, customer, day)
    rates = np.column_stack([base, quality_rate, price_rate])
    probability = rates.sum(axis=1) / (base + quality_peak + price_peak)
    customer, day, pick = _keep_with_pick(rng, customer, day, probability, rates)
    base_category = rng.choice(len(COMPLAINT_CATEGORIES), len(day), p=[0.25, 0.2, 0.15, 0.25, 0.15])
    quality_category = rng.choice([0, 1, 3], len(day), p=[0.6, 0.25, 0.15])
    category = np.select([pick == 0, pick == 1], [base_category, quality_category], default=2)
    quality_now = pop.signal(QUALITY, customer, day)
    resolution_days = rng.lognormal(np.log(4), 0.9, len(day)) * (1 + 3 * quality_now)
    left_open = rng.random(len(day)) < 0.03 + 0.25 * quality_now
    resolved = day + resolution_days
    resolved = np.where(left_open | (resolved >= pop.window_days), np.nan, resolved)
    return pd.DataFrame(
        {
            "customer_id": customer,
            "opened_at": day,
            "category": pd.Categorical.from_codes(category, COMPLAINT_CATEGORIES),
            "resolved_at": resolved,
        }
    ).sort_values("opened_at", kind="stable", ignore_index=True)


def _keep_with_pick(rng, customer, day, probability, rates):
    """Thin candidates, and say which of several summed rates produced each kept event."""
    kept = rng.random(len(day)) < probability
    rates = rates[kept]
    cumulative = np.cumsum(rates, axis=1)
    draw = rng.random(len(rates)) * cumulative[:, -1]
    pick = (draw[:, None] >= cumulative).sum(axis=1)
    return customer[kept], day[kept], np.minimum(pick, rates.shape[1] - 1)


def _surveys(rng: np.random.Generator, pop: _Population) -> pd.DataFrame:
    customer, day = _candidates(rng, pop.pulse_rate, pop.active_from, pop.active_until)
    score = (
        8.3
        + rng.normal(0, 1.2, len(day))
        - 4.5 * pop.signal(QUALITY, customer, day)
        - 1.5 * pop.signal(INDIFFERENCE, customer, day)
        - 1.0 * pop.signal(COMPETITOR, customer, day)
    )
    pulse = pd.DataFrame(
        {
            "customer_id": customer,
            "answered_at": day,
            "kind": "pulse",
            "score": np.clip(np.round(score), 0, 10),
            "reason": None,
        }
    )
    # A third of churners answer an exit survey within a month; 80% name their true reason.
    churners = np.flatnonzero(pop.churned)
    answers = churners[rng.random(len(churners)) < 0.35]
    answer_day = pop.active_until[answers] + rng.uniform(1, 30, len(answers))
    answers, answer_day = answers[answer_day < pop.window_days], answer_day[answer_day < pop.window_days]
    true_reason = pop.churn_reason[answers]
    other_reason = (true_reason + rng.integers(1, len(REASON_CODES), len(answers))) % len(REASON_CODES)
    given_reason = np.where(rng.random(len(answers)) < 0.8, true_reason, other_reason)
    exit_answers = pd.DataFrame(
        {
            "customer_id": answers,
            "answered_at": answer_day,
            "kind": "exit",
            "score": np.clip(np.round(rng.normal(3, 2, len(answers))), 0, 10),
            "reason": np.asarray(REASON_CODES, dtype=object)[given_reason],
        }
    )
    surveys = pd.concat([pulse, exit_answers], ignore_index=True)
    surveys["kind"] = pd.Categorical(surveys["kind"], categories=["pulse", "exit"])
    surveys["reason"] = pd.Categorical(surveys["reason"], categories=REASON_CODES)
    return surveys.sort_values("answered_at", kind="stable", ignore_index=True)


def _customers(rng: np.random.Generator, pop: _Population, customer_ids: np.ndarray) -> pd.DataFrame:
    n = len(customer_ids)
    referred_by = _referrers(rng, pop)
    current_region = np.where(pop.move_day < pop.window_days, pop.new_region, pop.home_region)
    return pd.DataFrame(
        {
            "customer_id": np.arange(n),
            "signed_up_at": pop.signup,
            "segment": pd.Categorical.from_codes(rng.choice(3, n, p=[0.6, 0.3, 0.1]), SEGMENTS),
            "region": pd.Categorical.from_codes(current_region, REGIONS),
            "loyalty_member": rng.random(n) < 0.3,
            "referred_by": referred_by,
            "manager_id": pd.Series(
                [f"M{m:03d}" for m in rng.integers(1, MANAGERS + 1, n)], dtype="category"
            ),
            "cancelled_at": np.where(pop.churned, pop.active_until, np.nan),
        }
    )


def _referrers(rng: np.random.Generator, pop: _Population) -> np.ndarray:
    """Index of each customer's referrer, -1 for none.

    A fifth were referred by an earlier customer; a personal_ties churner's referrer is someone
    who left one to five months before them (where there is such a churner).
    """
    n = len(pop.signup)
    referred = (rng.random(n) < 0.2) & (np.arange(n) > 0)
    referrer = np.where(referred, np.floor(rng.random(n) * np.arange(n)).astype(np.int64), -1)
    churners = np.flatnonzero(pop.churned)
    churners = churners[np.argsort(pop.active_until[churners], kind="stable")]
    churn_days = pop.active_until[churners]
    tied = np.flatnonzero(pop.churn_reason == PERSONAL_TIES)
    low = np.searchsorted(churn_days, pop.active_until[tied] - 150)
    high = np.searchsorted(churn_days, pop.active_until[tied] - 30)
    has_candidate = high > low
    pick = low + np.floor(rng.random(len(tied)) * np.maximum(high - low, 1)).astype(np.int64)
    chosen = churners[np.minimum(pick, len(churners) - 1)] if len(churners) else np.zeros(len(tied), np.int64)
    referrer[tied[has_candidate]] = chosen[has_candidate]
    return referrer


def _truth(pop: _Population) -> pd.DataFrame:
    reason = np.where(pop.churned, pop.churn_reason, 0)
    return pd.DataFrame(
        {
            "customer_id": np.arange(len(pop.signup)),
            "churned_at": np.where(pop.churned, pop.active_until, np.nan),
            "true_reason": pd.Categorical.from_codes(np.where(pop.churned, reason, -1), REASON_CODES),
        }
    )


def _with_customer_ids(frame: pd.DataFrame, customer_ids: np.ndarray, start: pd.Timestamp) -> pd.DataFrame:
    """Turn customer indices into ids and day offsets into UTC timestamps (whole seconds)."""
    out = {}
    for column in frame.columns:
        values = frame[column]
        if column in ("customer_id", "referred_by"):
            codes = values.to_numpy()
            out[column] = (
                pd.Categorical.from_codes(codes, customer_ids)
                if column == "customer_id"
                else (pd.Series(np.where(codes >= 0, customer_ids[np.maximum(codes, 0)], None), dtype="str"))
            )
        elif column.endswith("_at"):
            seconds = np.floor(values.to_numpy(dtype=float) * DAY_SECONDS)
            out[column] = pd.to_datetime(start, utc=True) + pd.to_timedelta(seconds, unit="s")
        else:
            out[column] = values
    # customer_id stays categorical: millions of rows share one dictionary of ids (in Parquet too).
    return pd.DataFrame(out)
