package cipa.controls.aws.lb_listener_https_test

import data.cipa.controls.aws.lb_listener_https as control

_input(after, after_unknown, expressions, lb_type) := {
	"resource_changes": [
		{
			"address": "aws_lb_listener.l",
			"mode": "managed",
			"type": "aws_lb_listener",
			"name": "l",
			"change": {"actions": ["create"], "after": after, "after_unknown": after_unknown},
		},
		{
			"address": "aws_lb.lb",
			"mode": "managed",
			"type": "aws_lb",
			"name": "lb",
			"change": {"actions": ["create"], "after": {"load_balancer_type": lb_type}, "after_unknown": {"arn": true}},
		},
	],
	"configuration": {"root_module": {"resources": [{
		"address": "aws_lb_listener.l",
		"mode": "managed",
		"type": "aws_lb_listener",
		"name": "l",
		"expressions": object.union({"load_balancer_arn": {"references": ["aws_lb.lb.arn", "aws_lb.lb"]}}, expressions),
	}]}},
}

_forward := [{"type": "forward", "redirect": [], "target_group_arn": "arn:tg"}]

_redirect(protocol) := [{"type": "redirect", "redirect": [{"protocol": protocol, "port": "443", "status_code": "HTTP_301"}]}]

_http := {"protocol": {"constant_value": "HTTP"}}

test_https_passes if {
	inp := _input({"protocol": "HTTPS", "default_action": _forward}, {}, {"protocol": {"constant_value": "HTTPS"}}, "application")
	control.scope["aws_lb_listener.l"] with input as inp
	not control.fail["aws_lb_listener.l"] with input as inp
	not control.unknown["aws_lb_listener.l"] with input as inp
}

test_http_forward_fails if {
	inp := _input({"protocol": "HTTP", "default_action": _forward}, {}, _http, "application")
	control.fail["aws_lb_listener.l"] == {"protocol = \"HTTP\" and no default_action redirects to HTTPS (type = [\"forward\"])"} with input as inp
}

test_http_redirect_to_https_passes if {
	inp := _input({"protocol": "HTTP", "default_action": _redirect("HTTPS")}, {}, _http, "application")
	not control.fail["aws_lb_listener.l"] with input as inp
	not control.unknown["aws_lb_listener.l"] with input as inp
}

test_http_redirect_keeping_protocol_fails if {
	inp := _input({"protocol": "HTTP", "default_action": _redirect("#{protocol}")}, {}, _http, "application")
	control.fail["aws_lb_listener.l"] with input as inp
}

test_unset_protocol_on_alb_is_http if {
	inp := _input({"default_action": _forward}, {"protocol": true}, {}, "application")
	control.fail["aws_lb_listener.l"] with input as inp
}

test_tcp_listener_out_of_scope if {
	inp := _input({"protocol": "TCP", "default_action": _forward}, {}, {"protocol": {"constant_value": "TCP"}}, "network")
	not control.scope["aws_lb_listener.l"] with input as inp
}

test_unset_protocol_on_nlb_out_of_scope if {
	inp := _input({"default_action": _forward}, {"protocol": true}, {}, "network")
	not control.scope["aws_lb_listener.l"] with input as inp
}

test_unknown_protocol_is_unknown if {
	inp := _input({"default_action": _forward}, {"protocol": true}, {"protocol": {"references": ["var.protocol"]}}, "application")
	control.unknown["aws_lb_listener.l"] == {"protocol is only known after apply"} with input as inp
	not control.fail["aws_lb_listener.l"] with input as inp
}

test_unknown_redirect_protocol_is_unknown if {
	after := {"protocol": "HTTP", "default_action": [{"type": "redirect", "redirect": [{"port": "443"}]}]}
	inp := _input(after, {"default_action": [{"redirect": [{"protocol": true}]}]}, _http, "application")
	control.unknown["aws_lb_listener.l"] with input as inp
	not control.fail["aws_lb_listener.l"] with input as inp
}

test_alb_listener_type_in_scope if {
	inp := {"resource_changes": [{
		"address": "aws_alb_listener.l",
		"mode": "managed",
		"type": "aws_alb_listener",
		"name": "l",
		"change": {"actions": ["no-op"], "after": {"protocol": "HTTP", "default_action": _forward}},
	}]}
	control.fail["aws_alb_listener.l"] with input as inp
}
