"""Every implemented DfE SSDA903 rule, one named unit per rule code, registered on import."""

from safehold.returns.ssda903.domain.rules import adoption as adoption
from safehold.returns.ssda903.domain.rules import dolo as dolo
from safehold.returns.ssda903.domain.rules import episodes as episodes
from safehold.returns.ssda903.domain.rules import header as header
from safehold.returns.ssda903.domain.rules import missing as missing
from safehold.returns.ssda903.domain.rules import outcomes as outcomes
from safehold.returns.ssda903.domain.rules import reviews as reviews
from safehold.returns.ssda903.domain.rules import social_workers as social_workers
