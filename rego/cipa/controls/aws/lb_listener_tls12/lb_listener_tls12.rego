# METADATA
# title: Load balancer TLS listeners require TLS 1.2 or later
# description: |
#   Every HTTPS or TLS load balancer listener (aws_lb_listener, aws_alb_listener) uses an ssl_policy that allows
#   only TLS 1.2 or later (ELBSecurityPolicy-TLS-1-2-*, -FS-1-2-*, -TLS13-1-2-*, -TLS13-1-3-*). An unset
#   ssl_policy gets ELBSecurityPolicy-2016-08, the API default, which still allows TLS 1.0. A policy known only
#   after apply, or a listener whose protocol is only known after apply, is undecided.
# custom:
#   id: CIPA-AWS-ELB-02
#   severity: medium
#   aliases: [CKV_AWS_103, AVD-AWS-0047]
#   resource_types: [aws_lb_listener, aws_alb_listener]
#   remediation: |
#     Pick a TLS 1.2+ security policy:
#
#       resource "aws_lb_listener" "https" {
#         load_balancer_arn = aws_lb.this.arn
#         port              = 443
#         protocol          = "HTTPS"
#         ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
#         certificate_arn   = aws_acm_certificate.this.arn
#
#         default_action {
#           type             = "forward"
#           target_group_arn = aws_lb_target_group.this.arn
#         }
#       }
package cipa.controls.aws.lb_listener_tls12

import data.cipa.lib.aws_policy
import data.cipa.lib.tfplan

default_ssl_policy := "ELBSecurityPolicy-2016-08"

_listeners[address] := tfplan.resources[address] if {
	some type in ["aws_lb_listener", "aws_alb_listener"]
	some address in object.get(tfplan.by_type, type, set())
}

scope contains address if {
	some address, listener in _listeners
	_tls(listener)
}

scope contains address if {
	some address, listener in _listeners
	aws_policy.undecided_at(listener, ["protocol"])
}

fail[address] contains concat("", ["ssl_policy = ", _shown(listener), " allows protocols older than TLS 1.2"]) if {
	some address, listener in _listeners
	_tls(listener)
	policy := aws_policy.effective_at(listener, ["ssl_policy"], default_ssl_policy)
	not _tls12(policy)
}

unknown[address] contains "ssl_policy is only known after apply" if {
	some address in scope
	aws_policy.undecided_at(_listeners[address], ["ssl_policy"])
}

unknown[address] contains "protocol is only known after apply" if {
	some address, listener in _listeners
	aws_policy.undecided_at(listener, ["protocol"])
	policy := aws_policy.effective_at(listener, ["ssl_policy"], default_ssl_policy)
	not _tls12(policy)
}

_tls(listener) if {
	protocol := tfplan.value(listener, ["protocol"])
	is_string(protocol)
	upper(protocol) in {"HTTPS", "TLS"}
}

_tls12(policy) if regex.match(`^ELBSecurityPolicy-(TLS-1-2|FS-1-2|TLS13-1-2|TLS13-1-3)-`, policy)

_shown(listener) := tfplan.shown(listener, ["ssl_policy"]) if {
	tfplan.value(listener, ["ssl_policy"]) != null
} else := concat("", ["(not set, default ", default_ssl_policy, ")"])
