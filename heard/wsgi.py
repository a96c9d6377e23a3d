"""The WSGI application gunicorn serves (``gunicorn heard.wsgi``).

Python's cyclic garbage collector pauses a request whenever enough objects have been made
since the last pass, and a full pass walks everything the process holds — Django, the ORM,
numpy and scikit-learn included. Serialising a page of 50 cases with their stages and action
logs makes tens of thousands of objects, so at a million cases one request in five paid a
60-150 ms pause (API list p95 227 ms against a p50 of 80 ms, bench/README.md). Once the
application is loaded, what it loaded is moved out of the collector's way (``gc.freeze``) and
the youngest generation is collected less often (what a request would import later is
imported first, so that it is frozen too). HEARD_GC_THRESHOLD ("700,10,10" is Python's
own default) changes the thresholds; "off" leaves the collector as Python sets it.
"""

import gc
import importlib
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heard.settings")
application = get_wsgi_application()

# Imported by the first request that needs them unless imported here: every view (Django
# loads the URLconf on the first request) and scikit-learn, which the case page's related
# cases and suggested themes use. Loading them while a worker starts, not while an officer
# waits for a case page, spared each new worker's first case page 100-200 ms.
WARM_UP = ("sklearn.feature_extraction.text", "sklearn.linear_model")


def _warm_up() -> None:
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports every view
    for module in WARM_UP:
        importlib.import_module(module)


def _tune_garbage_collection(setting: str) -> None:
    if setting.strip().lower() == "off":
        return
    gc.collect()
    gc.freeze()
    thresholds = [int(part) for part in setting.split(",")]
    gc.set_threshold(*thresholds)


_warm_up()
_tune_garbage_collection(os.environ.get("HEARD_GC_THRESHOLD", "50000,20,100"))
