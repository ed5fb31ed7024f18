// SmartBall capsule: the rigid shell that holds the cell, the XIAO nRF52840 Sense, the
// slide switch and the BMP390 breakout at the centre of the ball, and the boss that holds
// the sealed charging port in the ball's wall.
//
// Every dimension comes from capsule_params.scad, which hardware/fit.py generates from
// hardware/parts.json after checking that the parts fit (`python3 hardware/fit.py --write`).
// Edit parts.json, never the numbers here.
//
//   openscad -o capsule.stl capsule.scad                      body, lid and boss, laid out to print
//   openscad -D 'part="cutaway"' -o view.png capsule.scad     half the shell cut away, parts inside
//
// Print in PETG, 0.2 mm layers, 4 perimeters (the wall is 1.6 mm), no supports: the body
// stands on its floor, the lid on its top, the boss on its flange.

include <capsule_params.scad>

part = "print"; // "print", "body", "lid", "boss", "assembly", "cutaway"

$fn = 64;
split_z = parts[4][1][2] - 0.3;   // just under the BMP390 board: it comes out with the lid

// A box along x with its four long edges rounded (radius r), from the origin.
module rounded_box(size, r) {
    hull()
        for (y = [r, size[1] - r], z = [r, size[2] - r])
            translate([0, y, z]) rotate([0, 90, 0]) cylinder(r = r, h = size[0]);
}

// The outer and inner solids: rounded box cut by the sphere through the farthest part corner.
module outside() {
    intersection() {
        translate([-wall, -wall, -wall]) rounded_box(outer, edge_r);
        translate([inner[0] / 2, inner[1] / 2, inner[2] / 2]) sphere(d = sphere_d);
    }
}

module inside() {
    intersection() {
        rounded_box(inner, max(edge_r - wall, 0.01));
        translate([inner[0] / 2, inner[1] / 2, inner[2] / 2]) sphere(d = sphere_d - 2 * wall);
    }
}

// inside(), grown (d > 0) or shrunk (d < 0) by about d on every side
module inside_scaled(d) {
    translate([inner[0] / 2, inner[1] / 2, inner[2] / 2])
        scale([1 + 2 * d / inner[0], 1 + 2 * d / inner[1], 1 + 2 * d / inner[2]])
            translate([-inner[0] / 2, -inner[1] / 2, -inner[2] / 2]) inside();
}

module shell() {
    difference() {
        outside();
        inside();
        // USB-C: the plug's overmold enters the end wall in front of the receptacle
        translate([-wall - 1, usb_center[0], usb_center[1]])
            rotate([0, 90, 0])
                linear_extrude(wall + 1.2)
                    offset(r = 1) square([usb_slot[1] - 2, usb_slot[0] - 2], center = true);
        // vents over the BMP390's die (covered with a foam pad inside) and in the floor
        for (dx = [-3, 3], dy = [-3, 3])
            translate([sensor_xy[0] + dx, sensor_xy[1] + dy, inner[2] - 1])
                cylinder(d = vent_d, h = wall + 2);
        for (dx = [-6, 6])
            translate([inner[0] / 2 + dx, inner[1] / 2, -wall - 1]) cylinder(d = vent_d, h = wall + 2);
        // the charging port's two wires leave at the far end, high up, through a 3 mm hole
        translate([inner[0] - 1, inner[1] / 2, inner[2] - 3])
            rotate([0, 90, 0]) cylinder(d = wire_exit_d, h = wall + 2);
    }
    // wire anchor: a bar across the far end under the exit hole; the wires are tied to it
    // (thread or a 2 mm cable tie) so a pull on the port's wires never reaches a solder joint
    translate([inner[0] - 2.5, inner[1] / 2 - 4, inner[2] - 6.5])
        difference() {
            cube([2.5, 8, 2]);
            translate([1.25, 4, -1]) cylinder(d = 1.6, h = 4);
        }
}

module body() {
    difference() {
        shell();
        translate([-50, -50, split_z]) cube([200, 200, 100]);
    }
}

module lid() {
    union() {
        intersection() {
            shell();
            translate([-50, -50, split_z]) cube([200, 200, 100]);
        }
        // lip that locates the lid inside the body's wall (0.15 mm clearance), fused to the
        // lid's wall by a band that reaches 0.3 mm into it
        difference() {
            union() {
                intersection() {
                    inside_scaled(-0.15);
                    translate([-50, -50, split_z - 2]) cube([200, 200, 2.5]);
                }
                intersection() {
                    inside_scaled(0.3);
                    translate([-50, -50, split_z]) cube([200, 200, 1.5]);
                }
            }
            inside_scaled(-lip);
        }
        // two pegs the BMP390 board hangs on (through its mounting holes), with a 1 mm foam
        // pad between board and lid around the vents
        for (dx = [-peg_spacing / 2, peg_spacing / 2])
            translate([sensor_xy[0] + dx, sensor_xy[1], parts[4][1][2]])
                cylinder(d = peg_d, h = inner[2] - parts[4][1][2] + wall / 2);
    }
}

// Boss for the sealed magnetic charging port: glued inside the ball's wall over a hole of
// port_d, the connector potted in its sleeve. Its flange follows the wall's inner curve.
module boss() {
    r_in = ball_outer_d / 2 - ball_wall;
    difference() {
        union() {
            intersection() {
                translate([0, 0, -r_in + 2]) sphere(r = r_in);
                cylinder(d = port_flange, h = 10);
            }
            cylinder(d = port_d + 4, h = port_depth);
        }
        translate([0, 0, -r_in]) sphere(r = r_in - 2 + 0.01);   // flange 2 mm thick, curved
        translate([0, 0, -1]) cylinder(d = port_d + 0.4, h = port_depth + 2);
    }
}

module part_ghosts() {
    colours = ["orange", "silver", "royalblue", "purple", "seagreen"];
    for (i = [0 : len(parts) - 1])
        color(colours[i], 0.8)
            translate(parts[i][1]) cube(parts[i][2] - parts[i][1]);
}

if (part == "body") body();
else if (part == "lid") lid();
else if (part == "boss") boss();
else if (part == "assembly") {
    color("white", 0.35) body();
    color("white", 0.35) lid();
    part_ghosts();
} else if (part == "cutaway") {
    // the near half of shell and parts removed, to see the stack
    color("white") render(convexity = 6) difference() {
        union() { body(); lid(); }
        translate([-50, -100 + inner[1] / 2, -50]) cube([200, 100, 200]);
    }
    intersection() {
        part_ghosts();
        translate([-50, inner[1] / 2, -50]) cube([200, 100, 200]);
    }
} else {
    body();
    translate([0, outer[1] + 6, inner[2] + wall]) rotate([180, 0, 0]) translate([0, -inner[1], 0]) lid();
    translate([inner[0] + port_flange, port_flange / 2, 0]) boss();
}
