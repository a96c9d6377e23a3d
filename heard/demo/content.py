"""What people tell the demo council, and what it says back: plausible text per service.

Subjects and descriptions may name a {street}, a house {number}, a {day} of the week, a
{bin} colour or a number of {weeks}; the generator fills them in from the seed.
"""

from __future__ import annotations

from dataclasses import dataclass

Text = tuple[str, str]  # (subject, description)


@dataclass(frozen=True)
class ServiceSpec:
    slug: str
    name: str
    directorate: str
    teams: tuple[str, ...]
    weight: float  # relative share of all contacts
    season: str  # key of heard.demo.volumes.SEASONS
    complaints: tuple[Text, ...]  # also used for dissatisfaction and member/MP enquiries
    requests: tuple[Text, ...]
    compliments: tuple[Text, ...]
    ideas: tuple[Text, ...]  # comments and suggestions
    put_right: tuple[str, ...]  # the action taken when a complaint is upheld
    lessons: tuple[str, ...]
    procedure: str = "council-3-stage"  # the complaints procedure the service follows


SERVICES: tuple[ServiceSpec, ...] = (
    ServiceSpec(
        "waste",
        "Waste and recycling",
        "environment",
        ("Collections", "Bulky waste"),
        14,
        "street",
        complaints=(
            (
                "Bin not collected",
                "Our {bin} bin was not collected on {day} and it is now overflowing.",
            ),
            (
                "Missed collection again",
                "This is the third time in a month the crew has missed {street}.",
            ),
            (
                "Bins left blocking the pavement",
                "The crew left the bins across the pavement on {street}; my mother uses a wheelchair and could not get past.",
            ),
            (
                "Assisted collection not done",
                "I am registered for an assisted collection but the bin was left at the back of the house again.",
            ),
            (
                "Bulky waste collection missed",
                "I paid for a bulky waste collection on {day} and nobody came.",
            ),
            (
                "Crew damaged my bin",
                "The lid of my {bin} bin was snapped off when it was emptied.",
            ),
        ),
        requests=(
            (
                "Missed bin",
                "Our {bin} bin was not emptied on {day}; please come back for it.",
            ),
            ("Missed bin", "The whole of {street} was missed on {day}."),
            (
                "New recycling box",
                "Our recycling box was taken with the rubbish; please deliver a new one to {number} {street}.",
            ),
            (
                "Replacement {bin} bin",
                "Our {bin} bin has a split in the bottom. Please replace it.",
            ),
            (
                "Book a bulky waste collection",
                "I would like a sofa and a fridge collected from {number} {street}.",
            ),
            (
                "Garden waste subscription",
                "Please start a garden waste subscription for {number} {street}.",
            ),
        ),
        compliments=(
            (
                "Thank you to the collection crew",
                "The crew on {street} always put the bins back neatly and are very polite.",
            ),
            (
                "Bulky waste team were brilliant",
                "They carried the old wardrobe down three flights of stairs without complaint.",
            ),
        ),
        ideas=(
            (
                "Food waste caddies for flats",
                "Could the flats on {street} have food waste collections like the houses?",
            ),
            (
                "Collection calendar by text",
                "It would help to get a text the night before collection day.",
            ),
        ),
        put_right=(
            "The missed bin was collected the next working day and the round was checked.",
            "A replacement bin was delivered free of charge.",
            "The assisted collection was added to the crew's in-cab device.",
        ),
        lessons=(
            "Crews reminded to report access problems rather than skip the street.",
            "Assisted collections now flagged on the in-cab devices.",
            "Round supervisors check missed-bin reports at the end of each day.",
        ),
    ),
    ServiceSpec(
        "street-cleansing",
        "Street cleansing",
        "environment",
        ("Cleansing",),
        6,
        "street",
        complaints=(
            (
                "Fly-tipping not cleared",
                "A mattress and builders' rubble behind the shops on {street} were reported {weeks} weeks ago and are still there.",
            ),
            (
                "Graffiti on the underpass",
                "Offensive graffiti has been on the underpass wall for a fortnight.",
            ),
            (
                "Street not swept",
                "Leaves have been piled up on {street} for weeks and the drains are blocked.",
            ),
        ),
        requests=(
            (
                "Report fly-tipping",
                "There are black bags and a fridge dumped on the verge of {street}.",
            ),
            (
                "Graffiti to remove",
                "There is graffiti on the wall of the bus shelter on {street}.",
            ),
            (
                "Needle found in the park",
                "There is a discarded needle by the bench near the {street} entrance.",
            ),
            (
                "Overflowing litter bin",
                "The litter bin outside number {number} {street} is overflowing.",
            ),
        ),
        compliments=(
            (
                "Fly-tipping cleared quickly",
                "I reported it in the morning and it had gone by lunchtime. Thank you.",
            ),
        ),
        ideas=(
            (
                "More litter bins on the high street",
                "There are not enough bins between the station and the market.",
            ),
        ),
        put_right=(
            "The fly-tipping was cleared and the site added to the weekly inspection list.",
            "The graffiti was removed within two working days.",
        ),
        lessons=(
            "Reports from the app now go straight to the cleansing crew's worklist.",
            "Offensive graffiti is now treated as a priority job.",
        ),
    ),
    ServiceSpec(
        "parks",
        "Parks and open spaces",
        "environment",
        ("Grounds maintenance",),
        3,
        "summer",
        complaints=(
            (
                "Play area equipment broken",
                "The swings in the play area have been taped off for {weeks} weeks.",
            ),
            (
                "Grass not cut",
                "The verges on {street} have not been cut this summer and the grass is knee high.",
            ),
            (
                "Overgrown hedge on a footpath",
                "The council hedge on {street} is so overgrown we have to walk in the road.",
            ),
        ),
        requests=(
            (
                "Tree overhanging my garden",
                "A council tree at the back of {number} {street} is overhanging my garden.",
            ),
            (
                "Broken bench",
                "A bench in the park by {street} is broken and has sharp edges.",
            ),
            (
                "Play equipment broken",
                "The slide in the play area off {street} has a broken step.",
            ),
        ),
        compliments=(
            (
                "The park looks wonderful",
                "The new flower beds by the lake are beautiful. Thank you to the gardeners.",
            ),
        ),
        ideas=(
            (
                "Outdoor gym equipment",
                "Could the park have outdoor gym equipment like the one in the next borough?",
            ),
            (
                "Wildflower verges",
                "Please leave some verges uncut for wildflowers and bees.",
            ),
        ),
        put_right=(
            "The play equipment was repaired and safety-inspected.",
            "The verges were cut and added to the regular schedule.",
        ),
        lessons=(
            "Play area inspections now record the date a fault is reported to the contractor.",
        ),
    ),
    ServiceSpec(
        "environmental-health",
        "Environmental health",
        "environment",
        ("Pollution control", "Food safety"),
        3,
        "street",
        complaints=(
            (
                "Noise nuisance not investigated",
                "I reported loud music from number {number} {street} {weeks} weeks ago and nobody has contacted me.",
            ),
            (
                "Food hygiene complaint not followed up",
                "I reported a takeaway on {street} and have heard nothing back.",
            ),
        ),
        requests=(
            (
                "Rats in the back alley",
                "There are rats near the bins behind the takeaway on {street}.",
            ),
            (
                "Bonfire smoke",
                "A neighbour burns rubbish every {day} and the smoke comes into our house.",
            ),
        ),
        compliments=(
            (
                "Officer was very helpful",
                "The officer explained the noise diary clearly and kept me updated.",
            ),
        ),
        ideas=(
            (
                "Publish noise complaint response times",
                "It would help to know how long an investigation usually takes.",
            ),
        ),
        put_right=(
            "An officer visited and served an abatement notice.",
            "Monitoring equipment was installed.",
        ),
        lessons=("Noise reports are now acknowledged with an expected timescale.",),
    ),
    ServiceSpec(
        "licensing",
        "Licensing",
        "environment",
        ("Licensing",),
        1,
        "flat",
        complaints=(
            (
                "Taxi licence renewal delayed",
                "I cannot work until my licence is renewed and it has been {weeks} weeks.",
            ),
            (
                "Licensed premises causing disturbance",
                "The bar on {street} plays music past its licensed hours.",
            ),
        ),
        requests=(
            (
                "Street party application",
                "We would like to close {street} for a street party on a {day}.",
            ),
        ),
        compliments=(("Quick renewal", "My licence was renewed within a week. Thank you."),),
        ideas=(
            (
                "Online licence renewals",
                "Please let drivers upload documents online instead of by post.",
            ),
        ),
        put_right=("The licence was issued the same week.",),
        lessons=("Renewal reminders are now sent eight weeks before expiry.",),
    ),
    ServiceSpec(
        "housing-repairs",
        "Housing repairs",
        "housing",
        ("Responsive repairs", "Damp and mould"),
        12,
        "winter",
        complaints=(
            (
                "Damp and mould in bedroom",
                "Black mould is spreading in my child's bedroom despite three visits.",
            ),
            ("Boiler broken", "We have had no heating or hot water for {weeks} weeks."),
            (
                "Repair appointment missed",
                "I took a day off work on {day} and the operative never came.",
            ),
            ("Leaking roof", "Water comes through the ceiling whenever it rains."),
            (
                "Repair left unfinished",
                "The kitchen was left with exposed wiring and no cupboard doors.",
            ),
        ),
        requests=(
            (
                "Report a repair: leaking tap",
                "The kitchen tap at {number} {street} drips all the time.",
            ),
            (
                "Report a repair: broken window",
                "The bedroom window will not close properly.",
            ),
            (
                "Report a repair: front door lock",
                "The front door lock is sticking and I am worried I will be locked out.",
            ),
            (
                "Emergency repair: no heating",
                "The boiler has stopped and there is no heating or hot water.",
            ),
            (
                "Emergency repair: water leak",
                "Water is pouring through the kitchen ceiling from the flat above.",
            ),
        ),
        compliments=(
            (
                "Excellent repair",
                "The plumber arrived on time, fixed the leak and cleaned up afterwards.",
            ),
            (
                "Thank you to the damp team",
                "The new extractor fan has made a real difference.",
            ),
        ),
        ideas=(
            (
                "Text message appointment reminders",
                "A text the day before would save wasted visits.",
            ),
        ),
        put_right=(
            "A mould wash and treatment was completed and a survey booked.",
            "The boiler was replaced and the heating tested.",
            "The repair was completed by a senior operative and inspected.",
        ),
        lessons=(
            "Damp and mould reports are now inspected within ten working days.",
            "Appointment reminders are now sent the day before by text.",
            "Operatives must photograph completed work before closing a job.",
        ),
        procedure="hos-code-2024",
    ),
    ServiceSpec(
        "tenancy",
        "Tenancy and estate management",
        "housing",
        ("Tenancy services", "Estate services"),
        5,
        "flat",
        complaints=(
            (
                "Antisocial behaviour not dealt with",
                "Loud music every night from the flat above; I have reported it many times.",
            ),
            (
                "Communal area not cleaned",
                "The stairwell in our block on {street} has not been cleaned for a month.",
            ),
            (
                "Rent account wrong",
                "My rent statement shows arrears although I pay every {day}.",
            ),
        ),
        requests=(
            (
                "Mutual exchange application",
                "I would like to apply for a mutual exchange.",
            ),
            (
                "Communal light out",
                "The light on the third-floor landing has been out for a week.",
            ),
        ),
        compliments=(
            (
                "Helpful housing officer",
                "My housing officer sorted out my rent account quickly.",
            ),
        ),
        ideas=(
            (
                "Residents' meeting in the evening",
                "Please hold residents' meetings after working hours.",
            ),
        ),
        put_right=(
            "The rent account was corrected and a statement sent.",
            "An extra communal clean was arranged.",
        ),
        lessons=("Estate inspections now include the stairwells of every block.",),
        procedure="hos-code-2024",
    ),
    ServiceSpec(
        "housing-options",
        "Housing options and homelessness",
        "housing",
        ("Housing options",),
        4,
        "flat",
        complaints=(
            (
                "Housing application delayed",
                "My housing register application has been pending for five months.",
            ),
            (
                "Temporary accommodation unsuitable",
                "The room we were placed in is damp and too small for three children.",
            ),
            (
                "Nobody returned my call",
                "I am about to be evicted and nobody has called me back.",
            ),
        ),
        requests=(
            (
                "Change of circumstances",
                "Please update my housing application: we have a new baby.",
            ),
        ),
        compliments=(
            (
                "Thank you for finding us a home",
                "The housing options officer was kind and worked hard for us.",
            ),
        ),
        ideas=(
            (
                "Show waiting times online",
                "Please publish how long people wait for each size of home.",
            ),
        ),
        put_right=("The application was assessed and banded within five working days.",),
        lessons=("Urgent homelessness calls are now returned the same day.",),
    ),
    ServiceSpec(
        "adult-social-care",
        "Adult social care",
        "adults",
        ("Assessment", "Home care"),
        4,
        "flat",
        complaints=(
            (
                "Care assessment delayed",
                "My mother has been waiting three months for a care assessment.",
            ),
            ("Carers arriving late", "The home carers arrive late and leave early."),
            (
                "Care charges explained badly",
                "The letter about my father's care charges was impossible to understand.",
            ),
        ),
        requests=(
            (
                "Request a care needs assessment",
                "My father is struggling to manage at home since his fall.",
            ),
        ),
        compliments=(
            (
                "Thank you to the reablement team",
                "The team were kind and professional with my father.",
            ),
            (
                "Wonderful occupational therapist",
                "The OT arranged rails and a shower seat within a week.",
            ),
        ),
        ideas=(
            (
                "Carers' drop-in sessions",
                "A monthly drop-in for unpaid carers would help people like me.",
            ),
        ),
        put_right=(
            "The assessment was completed and a care package agreed.",
            "The care provider was reviewed and the rota changed.",
        ),
        lessons=("Care charge letters rewritten in plain English.",),
    ),
    ServiceSpec(
        "childrens-social-care",
        "Children's social care",
        "children",
        ("Children in need",),
        2,
        "flat",
        complaints=(
            (
                "Social worker did not return calls",
                "I have left several messages and nobody has called back.",
            ),
            (
                "Meeting cancelled at short notice",
                "The family meeting was cancelled an hour before it started.",
            ),
        ),
        requests=(
            (
                "Request a copy of records",
                "I would like a copy of my records from when I was in care.",
            ),
        ),
        compliments=(
            (
                "Thank you to our social worker",
                "She listened to my son and made him feel safe.",
            ),
        ),
        ideas=(
            (
                "Evening appointments",
                "Working parents need some appointments after 5pm.",
            ),
        ),
        put_right=("A named manager now contacts the family weekly.",),
        lessons=("Team briefed on returning calls within one working day.",),
    ),
    ServiceSpec(
        "education",
        "School admissions and transport",
        "children",
        ("Admissions", "Home to school transport"),
        3,
        "schools",
        complaints=(
            (
                "School transport did not arrive",
                "The taxi for my son's school did not turn up on {day}.",
            ),
            (
                "Admission appeal letter late",
                "We received the appeal outcome after the deadline.",
            ),
            (
                "In-year application lost",
                "I applied for a school place {weeks} weeks ago and have heard nothing.",
            ),
        ),
        requests=(
            (
                "Apply for school transport",
                "My daughter has an EHC plan and needs transport to school.",
            ),
        ),
        compliments=(
            (
                "Transport escort is wonderful",
                "The escort on my son's bus is patient and kind.",
            ),
        ),
        ideas=(
            (
                "Track the school bus",
                "Parents could be told by text when the bus is running late.",
            ),
        ),
        put_right=("A replacement transport provider was arranged from the following Monday.",),
        lessons=("Transport providers must now report a missed pick-up within the hour.",),
    ),
    ServiceSpec(
        "council-tax",
        "Council tax",
        "resources",
        ("Billing", "Recovery"),
        8,
        "billing",
        complaints=(
            (
                "Wrong council tax bill",
                "My bill does not include the single person discount I applied for.",
            ),
            (
                "Summons issued in error",
                "I received a summons although I pay by direct debit.",
            ),
            (
                "Refund not received",
                "I overpaid when I moved out and I am still waiting for the refund.",
            ),
            (
                "Enforcement agent visit",
                "An enforcement agent came to my door about a bill I had already paid.",
            ),
        ),
        requests=(
            (
                "Single person discount",
                "I now live alone at {number} {street}; please apply the discount.",
            ),
            (
                "Moving home",
                "I am moving out of {number} {street} on {day}; please close my account.",
            ),
            (
                "Set up a direct debit",
                "Please set up a direct debit for my council tax.",
            ),
        ),
        compliments=(
            (
                "Helpful advice on paying",
                "The adviser set up an affordable payment plan. Thank you.",
            ),
        ),
        ideas=(("Paperless bills", "Please let me get my council tax bill by email."),),
        put_right=(
            "The account was corrected, the summons withdrawn and the costs cancelled.",
            "The refund was paid within five working days.",
        ),
        lessons=(
            "Process changed so that refunds are issued within ten working days.",
            "Direct debit payments are checked before a reminder is sent.",
        ),
    ),
    ServiceSpec(
        "benefits",
        "Housing benefit and council tax support",
        "resources",
        ("Assessments",),
        5,
        "flat",
        complaints=(
            (
                "Benefit claim delayed",
                "My claim was made eight weeks ago and I have heard nothing.",
            ),
            (
                "Overpayment letter unclear",
                "I do not understand why I am being asked to repay money.",
            ),
            (
                "Evidence lost",
                "I brought in my payslips and was later told you had not received them.",
            ),
        ),
        requests=(
            (
                "Report a change of income",
                "My hours at work have changed; please update my claim.",
            ),
        ),
        compliments=(
            (
                "Quick decision on my claim",
                "My claim was decided in a week. Thank you.",
            ),
        ),
        ideas=(
            (
                "Upload evidence online",
                "Please let us upload payslips instead of bringing them in.",
            ),
        ),
        put_right=(
            "The claim was assessed and backdated.",
            "The overpayment was recalculated and reduced.",
        ),
        lessons=("Letters rewritten in plain English after this complaint.",),
    ),
    ServiceSpec(
        "customer-contact",
        "Customer contact centre",
        "resources",
        ("Contact centre", "Customer service centre"),
        5,
        "flat",
        complaints=(
            (
                "Waited an hour on the phone",
                "I waited over an hour to get through and was then cut off.",
            ),
            (
                "Adviser was rude",
                "The adviser talked over me and would not let me explain.",
            ),
            (
                "Online form not working",
                "The online form kept giving an error when I pressed submit.",
            ),
        ),
        requests=(
            (
                "Call me back please",
                "I need to speak to someone about a letter I received.",
            ),
        ),
        compliments=(
            (
                "Staff member was very helpful",
                "The adviser sorted out my problem in one call.",
            ),
        ),
        ideas=(
            (
                "Webchat in the evenings",
                "A webchat after 5pm would help people who work.",
            ),
            (
                "Queue position on the phone",
                "Please tell callers where they are in the queue.",
            ),
        ),
        put_right=("The call recording was reviewed and the adviser received feedback.",),
        lessons=("Call-back requests now go to a dedicated queue.",),
    ),
    ServiceSpec(
        "libraries",
        "Libraries",
        "resources",
        ("Library service",),
        2,
        "flat",
        complaints=(
            (
                "Library opening hours cut",
                "The reduced hours mean I cannot visit after work.",
            ),
            ("Fine charged in error", "I was charged for a book I returned on time."),
        ),
        requests=(
            (
                "Reserve a book",
                "Please reserve a large-print copy for me at the {street} library.",
            ),
        ),
        compliments=(
            (
                "Helpful library staff",
                "The staff helped my father apply for his bus pass online.",
            ),
            ("Lovely storytime", "My children love the Saturday storytime session."),
        ),
        ideas=(
            (
                "More large-print books",
                "Could the branch stock more large-print crime novels?",
            ),
        ),
        put_right=("The fine was refunded.",),
        lessons=("Self-service returns now print a receipt.",),
    ),
    ServiceSpec(
        "registrars",
        "Registration services",
        "resources",
        ("Registrars",),
        1,
        "flat",
        complaints=(
            (
                "Birth registration appointment cancelled",
                "Our appointment was cancelled with one day's notice.",
            ),
        ),
        requests=(("Copy certificate", "I need a copy of my marriage certificate."),),
        compliments=(
            (
                "A beautiful ceremony",
                "The registrar made our wedding day very special.",
            ),
        ),
        ideas=(
            (
                "Saturday appointments",
                "Please offer some registration appointments on Saturdays.",
            ),
        ),
        put_right=(
            "A new appointment was offered the same week at a time that suited the family.",
        ),
        lessons=("Appointments are now cancelled only with a manager's agreement.",),
    ),
    ServiceSpec(
        "highways",
        "Highways and street lighting",
        "place",
        ("Highways maintenance", "Street lighting"),
        9,
        "roads",
        complaints=(
            (
                "Pothole damaged my car",
                "There is a deep pothole outside number {number} {street}; my tyre burst on it.",
            ),
            (
                "Paving slab tripped my father",
                "A raised paving slab on {street} tripped my father, who was injured.",
            ),
            (
                "Road works overran",
                "The road works on {street} were meant to last a week and it has been {weeks} weeks.",
            ),
        ),
        requests=(
            (
                "Pothole on {street}",
                "There is a pothole outside number {number} that is getting bigger.",
            ),
            (
                "Street light out",
                "The street light outside number {number} {street} has been out for a fortnight.",
            ),
            (
                "Gully blocked",
                "The drain on {street} is blocked and the road floods when it rains.",
            ),
        ),
        compliments=(
            (
                "Pothole fixed quickly",
                "The pothole I reported was repaired within two days.",
            ),
        ),
        ideas=(
            (
                "Dropped kerbs",
                "A dropped kerb at the corner of {street} would help wheelchair users.",
            ),
        ),
        put_right=(
            "The pothole was repaired within 24 hours.",
            "The slab was relaid and the footway inspected.",
        ),
        lessons=("Safety inspections of the footway on busy streets increased to monthly.",),
    ),
    ServiceSpec(
        "parking",
        "Parking services",
        "place",
        ("Enforcement", "Permits"),
        6,
        "flat",
        complaints=(
            (
                "Parking ticket issued unfairly",
                "I was given a penalty charge while unloading shopping for a disabled relative.",
            ),
            (
                "Residents' permit not received",
                "I paid for my permit six weeks ago and it has not arrived.",
            ),
            (
                "Rude civil enforcement officer",
                "The officer was rude and would not listen to my explanation.",
            ),
        ),
        requests=(
            (
                "Apply for a visitor permit",
                "Please send visitor permits to {number} {street}.",
            ),
            (
                "Car parked on the pavement",
                "A car has been parked across the dropped kerb on {street} for days.",
            ),
        ),
        compliments=(
            (
                "Permit sorted quickly",
                "The permits team sorted out my renewal over the phone.",
            ),
        ),
        ideas=(
            (
                "Pay by phone in all car parks",
                "Please add pay-by-phone to the {street} car park.",
            ),
        ),
        put_right=(
            "The penalty charge was cancelled.",
            "The permit was issued and the delay refunded.",
        ),
        lessons=("Permit applications are now processed within five working days.",),
    ),
    ServiceSpec(
        "planning",
        "Planning",
        "place",
        ("Development management", "Planning enforcement"),
        3,
        "flat",
        complaints=(
            (
                "Objection not considered",
                "My objection to the extension next door was not mentioned in the report.",
            ),
            (
                "Planning enforcement not acted on",
                "The unauthorised fence at number {number} {street} has been up for a year.",
            ),
            (
                "Application decided late",
                "My householder application is well past its eight-week target.",
            ),
        ),
        requests=(
            (
                "Pre-application advice",
                "I would like advice on a rear extension at {number} {street}.",
            ),
        ),
        compliments=(
            (
                "Clear pre-application advice",
                "The planning officer's advice saved us a lot of time.",
            ),
        ),
        ideas=(
            (
                "Notify neighbours by email",
                "Please email neighbours about applications as well as writing.",
            ),
        ),
        put_right=("An enforcement notice was served.",),
        lessons=("Officer reports now list every objection received.",),
    ),
    ServiceSpec(
        "building-control",
        "Building control",
        "place",
        ("Inspections",),
        1,
        "flat",
        complaints=(
            (
                "Inspection not carried out",
                "The inspector did not attend the booked inspection on {day}.",
            ),
        ),
        requests=(
            (
                "Dangerous structure",
                "A garden wall on {street} is leaning over the pavement.",
            ),
        ),
        compliments=(
            (
                "Helpful inspector",
                "The inspector explained exactly what we needed to do.",
            ),
        ),
        ideas=(("Book inspections online", "Please let builders book inspections online."),),
        put_right=("The inspection was rebooked for the next morning.",),
        lessons=("Inspectors now confirm the day's visits by text each morning.",),
    ),
)

# Requests made from the service catalogue (heard.demo.council.CATALOGUE), by subject.
REQUEST_CATEGORIES = {
    "Missed bin": "missed-bin",
    "New recycling box": "new-bin",
    "Replacement {bin} bin": "new-bin",
    "Report fly-tipping": "fly-tipping",
    "Graffiti to remove": "graffiti",
    "Pothole on {street}": "pothole",
    "Street light out": "street-light",
    "Play equipment broken": "play-equipment",
    "Report a repair: leaking tap": "routine-repair",
    "Report a repair: broken window": "routine-repair",
    "Report a repair: front door lock": "routine-repair",
    "Emergency repair: no heating": "emergency-repair",
    "Emergency repair: water leak": "emergency-repair",
}

# -- what the council writes back ----------------------------------------------------------

RESPONSES: dict[str, tuple[str, ...]] = {
    "upheld": (
        "We have looked into your complaint about {topic} and agree that we got this wrong. "
        "We apologise. {put_right}",
        "Your complaint about {topic} is upheld: the service fell short of our standards. "
        "{put_right}",
    ),
    "partly_upheld": (
        "We have looked into your complaint about {topic}. Some of the points you raised were "
        "justified and we apologise for them; others were not. {put_right}",
        "Your complaint about {topic} is partly upheld. {put_right}",
    ),
    "not_upheld": (
        "We have investigated your complaint about {topic} and found that the service was "
        "delivered as it should have been. We have explained why in this letter.",
        "Having reviewed the records and spoken to the staff involved, we do not uphold your "
        "complaint about {topic}.",
    ),
    "resolved_at_first_contact": (
        "Put right when the customer first contacted us: {put_right_lower}",
        "Explained and resolved on the spot; the customer was happy with the outcome.",
    ),
    "withdrawn": (
        "",
        "The customer withdrew the complaint after the problem was sorted out.",
    ),
    "service_request": (
        "Passed to the {team} team; the work was done and the customer told.",
        "Logged and completed by the {team} team.",
    ),
    "compliment": ("Thank you. We have passed your kind words to the {team} team.",),
    "comment": ("Thank you for your comments; we have passed them to {service}.",),
    "suggestion": (
        "Thank you for your suggestion. {service} will consider it at its next service review.",
    ),
    "enquiry": (
        "Reply sent to {representative} setting out what {service} has found and done.",
        "{service} has looked into this and replied to {representative}.",
    ),
}

EXTENSION_REASONS = (
    "Waiting for the contractor's report.",
    "The investigating officer needs to interview staff who are on leave.",
    "Further information is needed from the customer.",
    "A site visit is needed before we can reply.",
    "The complaint raises several issues across two services.",
    "Waiting for records from a partner organisation.",
)

UNRESOLVED = (
    "",
    "The customer remains unhappy that the problem is still not fixed.",
    "The customer does not accept the explanation and asks for compensation.",
    "The customer says the stage 1 reply did not answer all their points.",
    "The customer feels the apology was not sincere and wants a review by a manager.",
)

CLOSING_NOTES = (
    "",
    "",
    "",
    "Customer satisfied with the response.",
    "All actions completed.",
)

APOLOGIES = (
    "A written apology from the head of service.",
    "An apology in the response letter.",
    "An apology by phone, confirmed in writing.",
)
FINANCIAL = (
    "Payment for time and trouble.",
    "Compensation for the delay.",
    "Refund of charges paid.",
    "Payment for distress and inconvenience.",
)
OTHER_REMEDIES = (
    "Referral to the customer's housing officer for support.",
    "A named officer to keep the customer updated.",
)
