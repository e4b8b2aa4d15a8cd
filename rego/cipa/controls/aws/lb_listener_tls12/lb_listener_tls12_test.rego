package cipa.controls.aws.lb_listener_tls12_test

import data.cipa.controls.aws.lb_listener_tls12 as control

_input(after, after_unknown, expressions) := {
	"resource_changes": [{
		"address": "aws_lb_listener.l",
		"mode": "managed",
		"type": "aws_lb_listener",
		"name": "l",
		"change": {"actions": ["create"], "after": after, "after_unknown": after_unknown},
	}],
	"configuration": {"root_module": {"resources": [{
		"address": "aws_lb_listener.l",
		"mode": "managed",
		"type": "aws_lb_listener",
		"name": "l",
		"expressions": expressions,
	}]}},
}

_https := {"protocol": {"constant_value": "HTTPS"}}

test_tls13_policy_passes if {
	inp := _input({"protocol": "HTTPS", "ssl_policy": "ELBSecurityPolicy-TLS13-1-2-2021-06"}, {}, _https)
	control.scope["aws_lb_listener.l"] with input as inp
	not control.fail["aws_lb_listener.l"] with input as inp
	not control.unknown["aws_lb_listener.l"] with input as inp
}

test_fs_policy_on_tls_listener_passes if {
	inp := _input({"protocol": "TLS", "ssl_policy": "ELBSecurityPolicy-FS-1-2-Res-2020-10"}, {}, {})
	not control.fail["aws_lb_listener.l"] with input as inp
}

test_old_policy_fails if {
	inp := _input({"protocol": "HTTPS", "ssl_policy": "ELBSecurityPolicy-2016-08"}, {}, _https)
	control.fail["aws_lb_listener.l"] == {"ssl_policy = \"ELBSecurityPolicy-2016-08\" allows protocols older than TLS 1.2"} with input as inp
}

test_tls11_policy_fails if {
	inp := _input({"protocol": "HTTPS", "ssl_policy": "ELBSecurityPolicy-TLS13-1-1-2021-06"}, {}, _https)
	control.fail["aws_lb_listener.l"] with input as inp
}

test_unset_policy_takes_api_default if {
	inp := _input({"protocol": "HTTPS"}, {"ssl_policy": true}, _https)
	control.fail["aws_lb_listener.l"] == {"ssl_policy = (not set, default ELBSecurityPolicy-2016-08) allows protocols older than TLS 1.2"} with input as inp
}

test_unknown_policy_is_unknown if {
	inp := _input({"protocol": "HTTPS"}, {"ssl_policy": true}, object.union(_https, {"ssl_policy": {"references": ["var.ssl_policy"]}}))
	control.unknown["aws_lb_listener.l"] == {"ssl_policy is only known after apply"} with input as inp
	not control.fail["aws_lb_listener.l"] with input as inp
}

test_http_listener_out_of_scope if {
	inp := _input({"protocol": "HTTP"}, {"ssl_policy": true}, {"protocol": {"constant_value": "HTTP"}})
	not control.scope["aws_lb_listener.l"] with input as inp
}

test_unknown_protocol_with_old_policy_is_unknown if {
	inp := _input({"ssl_policy": "ELBSecurityPolicy-2016-08"}, {"protocol": true}, {"protocol": {"references": ["var.p"]}})
	control.unknown["aws_lb_listener.l"] == {"protocol is only known after apply"} with input as inp
	not control.fail["aws_lb_listener.l"] with input as inp
}
