"""One event table seen from a cutoff: each row's customer position and age, and per-customer sums.

The reason families all ask the same questions of their tables ("how many in the last 90 days?",
"the latest one?"); this answers them vectorised over every customer at once, with integer
customer positions and `np.bincount` or one sort, never a per-customer loop.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from features.timeline import DAY
from features.topics import categories_matching


@dataclass(frozen=True)
class CustomerEvents:
    """The rows of an event table that belong to customers in `ids`, known at `cutoff`.

    `customer[i]` is row i's position in `ids`; `age[i]` its age in days at the cutoff (> 0).
    """

    frame: pd.DataFrame
    customer: np.ndarray
    age: np.ndarray
    n_customers: int

    @classmethod
    def at_cutoff(
        cls,
        table: pd.DataFrame,
        time_column: str,
        ids: pd.Index,
        cutoff: pd.Timestamp,
        columns: tuple[str, ...] = (),
    ) -> CustomerEvents:
        """The rows of `ids`' customers before `cutoff`, keeping `columns` (those the table has)."""
        known = (table[time_column] < cutoff).to_numpy()
        customer = customer_positions(table["customer_id"], ids)
        keep = known & (customer >= 0)
        # Only the columns a family reads are copied: event tables run to tens of millions of rows.
        wanted = [time_column, *(column for column in columns if column in table and column != time_column)]
        frame = table.loc[keep, wanted]
        age = ((cutoff - frame[time_column]) / DAY).to_numpy(dtype=float)
        return cls(frame, customer[keep], age, len(ids))

    def subset(self, mask: np.ndarray) -> CustomerEvents:
        return CustomerEvents(self.frame[mask], self.customer[mask], self.age[mask], self.n_customers)

    def values(self, column: str, dtype=float) -> np.ndarray:
        return self.frame[column].to_numpy(dtype=dtype, na_value=np.nan if dtype is float else None)

    def equals(self, column: str, value: object) -> np.ndarray:
        """Rows whose `column` equals `value`, as a numpy mask; a missing value is not equal."""
        return (self.frame[column] == value).to_numpy(dtype=bool, na_value=False)

    def flag(self, column: str) -> np.ndarray:
        """A boolean column as a numpy mask; missing is False."""
        return self.frame[column].fillna(False).to_numpy(dtype=bool)

    def matches_any(self, column: str, words: tuple[str, ...]) -> np.ndarray:
        """Rows whose text in `column` has one of `words` starting a word (see `topic_pattern`);
        missing text: False.

        The test runs once per distinct text, not per row: topics repeat across millions of rows. A
        dictionary-encoded column (`with_coded_topics`) is read once for every word list and for
        every slice of it that shares its categories.
        """
        codes, texts = _codes_and_distinct(self.frame[column])
        hit = categories_matching(texts, words)
        return np.append(hit, False)[codes]  # code -1 (missing) picks the appended False

    def within(self, days: float) -> np.ndarray:
        return self.age <= days

    def count(self, mask: np.ndarray | None = None) -> np.ndarray:
        customer = self.customer if mask is None else self.customer[mask]
        return np.bincount(customer, minlength=self.n_customers).astype(float)

    def total(self, values: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
        if mask is not None:
            values, customer = values[mask], self.customer[mask]
        else:
            customer = self.customer
        return np.bincount(customer, weights=values, minlength=self.n_customers)

    def mean(self, values: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Mean of `values` over the rows in `mask`; NaN for customers with none."""
        return ratio(self.total(values, mask), self.count(mask))

    def smallest(self, values: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
        """Per-customer minimum; NaN for customers with no row."""
        return self._reduce(values, mask, "min")

    def largest(self, values: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
        return self._reduce(values, mask, "max")

    def _reduce(self, values: np.ndarray, mask: np.ndarray | None, how: str) -> np.ndarray:
        customer = self.customer if mask is None else self.customer[mask]
        values = values if mask is None else values[mask]
        return per_customer(pd.Series(values).groupby(customer).agg(how), self.n_customers)


def _coded(values: pd.Series) -> pd.Categorical:
    """`values` dictionary-encoded, the categories in order of first appearance (unsorted: no sort to
    pay for)."""
    codes, distinct = pd.factorize(values, use_na_sentinel=True)
    return pd.Categorical.from_codes(codes, categories=distinct)


def _is_coded(values: pd.Series) -> bool:
    return isinstance(values.dtype, pd.CategoricalDtype)


def _codes_and_distinct(values: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Each row's code and the distinct values it indexes (code -1: missing): a dictionary-encoded
    column's own, so that its slices share one set of distinct values, else factorized here."""
    if _is_coded(values):
        return values.cat.codes.to_numpy(), values.cat.categories
    return pd.factorize(values, use_na_sentinel=True)


def with_coded_ids(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The event tables with `customer_id` dictionary-encoded (categorical): each id hashed once.

    Every later lookup then works on integer codes. Done once per build, or once for all the
    cutoffs of a training set; the values (and so every feature) are unchanged.
    """
    coded = {}
    for name, table in tables.items():
        if name != "customers" and "customer_id" in table and not _is_coded(table["customer_id"]):
            table = table.assign(customer_id=_coded(table["customer_id"]))
        coded[name] = table
    return coded


def with_coded_topics(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The tables with `contacts.topic` dictionary-encoded. Every slice of the column shares its
    categories, so each distinct topic is folded once and matched once per word list
    (`features.topics.categories_matching`): for a build's six topic families, and for all the cutoffs
    of a training set, which codes its tables once. The values are unchanged."""
    contacts = tables.get("contacts")
    if contacts is None or "topic" not in contacts or _is_coded(contacts["topic"]):
        return tables
    return {**tables, "contacts": contacts.assign(topic=_coded(contacts["topic"]))}


def customer_positions(customer_ids: pd.Series, ids: pd.Index) -> np.ndarray:
    """Each row's position in `ids`, -1 for customers not in it.

    Looked up once per distinct customer, not per row: hashing tens of millions of id strings is
    the slowest thing a feature build could do, while factorizing them (dictionary-encoding) is fast.
    """
    codes, distinct = _codes_and_distinct(customer_ids)
    where = np.append(ids.get_indexer(distinct), -1)  # code -1 (missing id) picks the appended -1
    return where[codes]


def topic_contacts(contacts: CustomerEvents, words: tuple[str, ...], days: int) -> np.ndarray:
    """Contacts of the last `days` days, either way, whose topic has one of `words` starting a word:
    what the company noted counts as much as what the customer wrote (a move, a new manager)."""
    return contacts.count(contacts.matches_any("topic", words) & contacts.within(days))


def inbound_topic_counts(
    contacts: CustomerEvents, words: tuple[str, ...], name: str
) -> dict[str, np.ndarray]:
    """`{name}_90d` and `{name}_365d`: the customer's own (inbound) contacts whose topic has one of
    `words` starting a word. The company's mailings say nothing about what this customer said."""
    said = contacts.matches_any("topic", words) & contacts.equals("direction", "inbound")
    return {f"{name}_{days}d": contacts.count(said & contacts.within(days)) for days in (90, 365)}


def per_customer(by_position: pd.Series, n_customers: int) -> np.ndarray:
    """A per-customer result indexed by customer position, spread over all positions; NaN for none."""
    out = np.full(n_customers, np.nan)
    out[by_position.index.to_numpy(dtype=np.int64)] = by_position.to_numpy(dtype=float)
    return out


def ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """numerator / denominator, NaN where the denominator is zero (a share of nothing)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(denominator != 0, numerator / denominator, np.nan)
