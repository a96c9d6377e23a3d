"""The WSGI application gunicorn serves (``gunicorn heard.wsgi``).

Python's cyclic garbage collector pauses a request whenever enough objects have been made
since the last pass, and a full pass walks everything the process holds — Django, the ORM,
numpy and scikit-learn included. Serialising a page of 50 cases with their stages and action
logs makes tens of thousands of objects, so at a million cases one request in five paid a
60-150 ms pause (API list p95 227 ms against a p50 of 80 ms, bench/README.md). Once the
application is loaded, what it loaded is moved out of the collector's way (``gc.freeze``) and
the youngest generation is collected less often. HEARD_GC_THRESHOLD ("700,10,10" is Python's
own default) changes the thresholds; "off" leaves the collector as Python sets it.
"""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heard.settings")
application = get_wsgi_application()


def _tune_garbage_collection(setting: str) -> None:
    if setting.strip().lower() == "off":
        return
    gc.collect()
    gc.freeze()
    thresholds = [int(part) for part in setting.split(",")]
    gc.set_threshold(*thresholds)


_tune_garbage_collection(os.environ.get("HEARD_GC_THRESHOLD", "50000,20,100"))
