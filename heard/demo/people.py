"""Synthetic people for the demo: customers, the councillors and MPs who write for them.

Names are drawn from Faker's en_GB lists (seeded, so the same seed gives the same people).
Nothing can reach a real person: email addresses use only the reserved example.org,
example.com and example.net domains, phone numbers Ofcom's ranges kept for drama
(07700 900xxx and 01632 960xxx), and addresses the fictional streets and AS postcodes of
the Borough of Ashdown. Pools are built once; a chunk of customers is then put together
from them with numpy, since Faker itself is far too slow for a million people.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import numpy as np
from faker import Faker

from heard.cases.models import AccessFormat, ContactPreference, RepresentativeRole

DOMAINS = ("example.org", "example.com", "example.net")
LOCALITIES = (
    "Ashdown",
    "Ashdown",
    "Ashdown",
    "Ashdown Vale",
    "Kingsmead",
    "Millbrook",
    "Hartwell Green",
    "Stonebridge",
    "Fairhaven",
    "Westfield Park",
)
WARDS = (
    "Abbey",
    "Castle",
    "Fairhaven",
    "Hartwell",
    "Kingsmead",
    "Market",
    "Millbrook",
    "Priory",
    "Stonebridge",
    "Vale",
    "Westfield",
    "Wharf",
)
CONSTITUENCIES = ("Ashdown North", "Ashdown South and Millbrook")
STREET_KINDS = (
    "Road", "Street", "Lane", "Close", "Avenue", "Way", "Crescent", "Drive", "Gardens", "Grove",
    "Place", "Terrace", "Walk", "Mews", "Rise",
)  # fmt: skip
CLASSIC_STREETS = (
    "High Street", "Station Road", "Church Lane", "Mill Road", "Victoria Street", "Park Avenue",
    "Queens Road", "Manor Way", "The Green", "Orchard Close", "Meadow View", "King Street",
    "London Road", "School Lane", "The Crescent", "Market Square",
)  # fmt: skip
POSTCODE_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
LANGUAGES = ("Polish", "Urdu", "Bengali", "Romanian", "Punjabi", "Arabic", "British Sign Language")
ADJUSTMENTS = (
    "Please phone after 11am; I work nights.",
    "I have a hearing impairment: please write rather than phone.",
    "Please send letters in a plain envelope.",
    "My daughter helps me read letters; please copy her in.",
    "I find phone calls difficult because of anxiety; email please.",
)

Columns = dict[str, list[object]]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower())


@dataclass(frozen=True)
class Representative:
    name: str
    email: str
    address: str


class People:
    """Pools of names and streets, and customers made from them."""

    def __init__(self, seed: int) -> None:
        fake = Faker("en_GB")
        fake.seed_instance(seed)
        # Draws from Faker keep its frequencies: common names come up more often.
        self.first_names = [fake.first_name() for _ in range(3000)]
        self.last_names = [fake.last_name() for _ in range(3000)]
        stems = sorted({fake.last_name() for _ in range(400)})
        kinds = [STREET_KINDS[i % len(STREET_KINDS)] for i in range(len(stems))]
        self.streets = list(CLASSIC_STREETS) + [
            f"{stem} {kind}" for stem, kind in zip(stems, kinds, strict=True)
        ]
        self.councillors = [
            Representative(
                name=f"Cllr {first} {last}",
                email=f"cllr.{_slug(first)}.{_slug(last)}@example.org",
                address=f"Member for {WARDS[i % len(WARDS)]} ward\nAshdown Town Hall\nMarket Square\nAshdown\nAS1 1AA",
            )
            for i, (first, last) in enumerate(
                (fake.first_name(), fake.last_name()) for _ in range(2 * len(WARDS))
            )
        ]
        self.mps = [
            Representative(
                name=f"{first} {last} MP",
                email=f"{_slug(first)}.{_slug(last)}.mp@example.net",
                address=f"Member of Parliament for {constituency}\nHouse of Commons\nLondon\nSW1A 0AA",
            )
            for constituency, first, last in (
                (c, fake.first_name(), fake.last_name()) for c in CONSTITUENCIES
            )
        ]

    def customers(self, rng: np.random.Generator, n: int) -> Columns:
        """``n`` members of the public, as columns of the Customer table (without ids)."""
        first = [self.first_names[i] for i in rng.integers(len(self.first_names), size=n).tolist()]
        last = [self.last_names[i] for i in rng.integers(len(self.last_names), size=n).tolist()]
        has_email = (rng.random(n) < 0.78).tolist()
        has_phone = (rng.random(n) < 0.62).tolist()
        email_style = rng.integers(3, size=n).tolist()
        email_number = rng.integers(1, 100, size=n).tolist()
        domain = rng.integers(len(DOMAINS), size=n).tolist()
        mobile = (rng.random(n) < 0.8).tolist()
        phone_number = rng.integers(1000, size=n).tolist()
        house = rng.integers(1, 181, size=n).tolist()
        street = rng.integers(len(self.streets), size=n).tolist()
        locality = rng.integers(len(LOCALITIES), size=n).tolist()
        district = rng.integers(1, 13, size=n).tolist()
        sector = rng.integers(1, 10, size=n).tolist()
        unit = rng.integers(len(POSTCODE_LETTERS), size=(n, 2)).tolist()
        flat = (rng.random(n) < 0.2).tolist()
        prefers_letter = (rng.random(n) < 0.05).tolist()
        needs = rng.random(n).tolist()
        format_choice = rng.integers(4, size=n).tolist()
        language_choice = rng.integers(len(LANGUAGES), size=n).tolist()
        adjustment_choice = rng.integers(len(ADJUSTMENTS), size=n).tolist()
        adjusted = (rng.random(n) < 0.02).tolist()

        columns: Columns = {
            "name": [],
            "email": [],
            "phone": [],
            "address": [],
            "language": [],
            "contact_preference": [],
            "access_formats": [],
            "access_language": [],
            "adjustments": [],
        }
        formats = (
            AccessFormat.LARGE_PRINT,
            AccessFormat.EASY_READ,
            AccessFormat.AUDIO,
            AccessFormat.BRAILLE,
        )
        for i in range(n):
            f, la = first[i], last[i]
            email = ""
            if has_email[i]:
                local = (
                    f"{_slug(f)}.{_slug(la)}",
                    f"{_slug(f)[:1]}{_slug(la)}{email_number[i]}",
                    f"{_slug(la)}.{_slug(f)}{email_number[i]}",
                )[email_style[i]]
                email = f"{local}@{DOMAINS[domain[i]]}"
            phone = ""
            if has_phone[i] or not email:
                phone = (
                    f"07700 900{phone_number[i]:03d}"
                    if mobile[i]
                    else f"01632 960{phone_number[i]:03d}"
                )
            postcode = (
                f"AS{district[i]} {sector[i]}"
                f"{POSTCODE_LETTERS[unit[i][0]]}{POSTCODE_LETTERS[unit[i][1]]}"
            )
            door = f"Flat {house[i] % 12 + 1}, {house[i]}" if flat[i] else str(house[i])
            address = f"{door} {self.streets[street[i]]}\n{LOCALITIES[locality[i]]}\n{postcode}"
            access: list[str] = []
            access_language = ""
            if needs[i] < 0.03:
                access = [formats[format_choice[i]]]
            elif needs[i] < 0.045:
                access = [AccessFormat.INTERPRETER]
                access_language = LANGUAGES[language_choice[i]]
            preference = (
                ContactPreference.LETTER
                if prefers_letter[i] or (not email and not phone)
                else ContactPreference.EMAIL
                if email
                else ContactPreference.PHONE
            )
            columns["name"].append(f"{f} {la}")
            columns["email"].append(email)
            columns["phone"].append(phone)
            columns["address"].append(address)
            columns["language"].append("en")
            columns["contact_preference"].append(str(preference))
            columns["access_formats"].append(json.dumps([str(a) for a in access]))
            columns["access_language"].append(access_language)
            columns["adjustments"].append(ADJUSTMENTS[adjustment_choice[i]] if adjusted[i] else "")
        return columns

    def representatives(
        self, rng: np.random.Generator, roles: list[str]
    ) -> tuple[Columns, list[str]]:
        """One Customer row per case that has a representative, as the services create them.

        Returns the columns and the representatives' names (for the text of the case).
        """
        n = len(roles)
        relatives = self.customers(rng, n)
        councillor = rng.integers(len(self.councillors), size=n).tolist()
        mp = rng.integers(len(self.mps), size=n).tolist()
        for i, role in enumerate(roles):
            person: Representative | None = None
            if role == RepresentativeRole.ELECTED_MEMBER:
                person = self.councillors[councillor[i]]
            elif role == RepresentativeRole.MP:
                person = self.mps[mp[i]]
            elif role == RepresentativeRole.ADVOCATE:
                relatives["address"][i] = (
                    "Ashdown Independent Advocacy\n12 Market Square\nAshdown\nAS1 1AB"
                )
            if person is not None:
                relatives["name"][i] = person.name
                relatives["email"][i] = person.email
                relatives["phone"][i] = ""
                relatives["address"][i] = person.address
                relatives["contact_preference"][i] = str(ContactPreference.EMAIL)
                relatives["access_formats"][i] = "[]"
                relatives["access_language"][i] = ""
                relatives["adjustments"][i] = ""
        return relatives, [str(name) for name in relatives["name"]]
