"""Every implemented DfE SSDA903 rule, one named unit per rule code, registered on import."""

from safehold.returns.ssda903.domain.rules import a_episode_spans as a_episode_spans
from safehold.returns.ssda903.domain.rules import a_uasc_leavers as a_uasc_leavers
from safehold.returns.ssda903.domain.rules import adoption as adoption
from safehold.returns.ssda903.domain.rules import b_episodes as b_episodes
from safehold.returns.ssda903.domain.rules import b_locations as b_locations
from safehold.returns.ssda903.domain.rules import c_adoption as c_adoption
from safehold.returns.ssda903.domain.rules import c_care as c_care
from safehold.returns.ssda903.domain.rules import d_motherhood as d_motherhood
from safehold.returns.ssda903.domain.rules import d_permanence as d_permanence
from safehold.returns.ssda903.domain.rules import d_social_workers as d_social_workers
from safehold.returns.ssda903.domain.rules import dolo as dolo
from safehold.returns.ssda903.domain.rules import e_reference as e_reference
from safehold.returns.ssda903.domain.rules import episodes as episodes
from safehold.returns.ssda903.domain.rules import header as header
from safehold.returns.ssda903.domain.rules import missing as missing
from safehold.returns.ssda903.domain.rules import outcomes as outcomes
from safehold.returns.ssda903.domain.rules import reviews as reviews
from safehold.returns.ssda903.domain.rules import social_workers as social_workers
