# METADATA
# title: Load balancer listeners use HTTPS or redirect HTTP to HTTPS
# description: |
#   Every HTTP-capable load balancer listener (aws_lb_listener, aws_alb_listener) either terminates TLS (protocol
#   HTTPS or TLS) or answers plain HTTP only with a redirect to HTTPS (a default_action of type redirect whose
#   redirect.protocol is HTTPS). TCP, UDP, TCP_UDP and GENEVE listeners of network and gateway load balancers
#   are out of scope. An unset protocol is HTTP on an application load balancer; a protocol or redirect known only
#   after apply leaves the listener undecided.
# custom:
#   id: CIPA-AWS-ELB-01
#   severity: high
#   aliases: [CKV_AWS_2, CKV2_AWS_20, AVD-AWS-0054]
#   resource_types: [aws_lb_listener, aws_alb_listener]
#   remediation: |
#     Serve HTTPS, and redirect plain HTTP to it:
#
#       resource "aws_lb_listener" "http" {
#         load_balancer_arn = aws_lb.this.arn
#         port              = 80
#         protocol          = "HTTP"
#
#         default_action {
#           type = "redirect"
#           redirect {
#             port        = "443"
#             protocol    = "HTTPS"
#             status_code = "HTTP_301"
#           }
#         }
#       }
package cipa.controls.aws.lb_listener_https

import data.cipa.lib.aws_policy
import data.cipa.lib.tfplan

_listeners[address] := tfplan.resources[address] if {
	some type in ["aws_lb_listener", "aws_alb_listener"]
	some address in object.get(tfplan.by_type, type, set())
}

_non_http := {"TCP", "UDP", "TCP_UDP", "GENEVE"}

scope contains address if {
	some address, listener in _listeners
	not _non_http_listener(listener)
	not _unset_on_non_application(listener)
}

fail[address] contains concat("", [
	"protocol = ", _shown_protocol(listener), " and no default_action redirects to HTTPS (type = ",
	_shown_types(listener), ")",
]) if {
	some address in scope
	listener := _listeners[address]
	_protocol(listener) == "HTTP"
	not _redirects_to_https(listener)
	not _redirect_undecided(listener)
	not tfplan.is_unknown(listener, ["default_action"])
}

unknown[address] contains "protocol is only known after apply" if {
	some address in scope
	not _protocol(_listeners[address])
}

unknown[address] contains "default_action is only known after apply" if {
	some address in scope
	listener := _listeners[address]
	_protocol(listener) == "HTTP"
	not _redirects_to_https(listener)
	_redirect_undecided(listener)
}

unknown[address] contains "default_action is only known after apply" if {
	some address in scope
	listener := _listeners[address]
	_protocol(listener) == "HTTP"
	tfplan.is_unknown(listener, ["default_action"])
}

# The listener's protocol: planned, or HTTP when unset on an application load balancer. Undefined when unknown.
_protocol(listener) := upper(p) if {
	p := tfplan.value(listener, ["protocol"])
	is_string(p)
} else := "HTTP" if {
	not aws_policy.configured_at(listener, ["protocol"])
	_load_balancer_type(listener) == "application"
}

_non_http_listener(listener) if _protocol(listener) in _non_http

_unset_on_non_application(listener) if {
	not aws_policy.configured_at(listener, ["protocol"])
	_load_balancer_type(listener) != "application"
}

_load_balancer_type(listener) := aws_policy.effective_at(tfplan.resources[lb], ["load_balancer_type"], "application") if {
	some lb in aws_policy.attribute_targets(listener, "load_balancer_arn")
	tfplan.resources[lb].type in {"aws_lb", "aws_alb"}
}

_redirects_to_https(listener) if {
	some action in object.get(listener.values, "default_action", [])
	action.type == "redirect"
	some redirect in object.get(action, "redirect", [])
	protocol := object.get(redirect, "protocol", "")
	is_string(protocol)
	upper(protocol) == "HTTPS"
}

_redirect_undecided(listener) if {
	some i, action in object.get(listener.values, "default_action", [])
	action.type == "redirect"
	tfplan.is_unknown(listener, ["default_action", i, "redirect"])
}

_redirect_undecided(listener) if {
	some i, action in object.get(listener.values, "default_action", [])
	action.type == "redirect"
	some j, _ in object.get(action, "redirect", [])
	tfplan.is_unknown(listener, ["default_action", i, "redirect", j, "protocol"])
}

_shown_protocol(listener) := tfplan.shown(listener, ["protocol"]) if {
	tfplan.value(listener, ["protocol"]) != null
} else := "(not set, HTTP on an application load balancer)"

_shown_types(listener) := tfplan.display([t |
	some action in object.get(listener.values, "default_action", [])
	t := object.get(action, "type", null)
])
