# -*- encoding: utf-8 -*-
# stub: portcullis-native 2.0.0.pre.1 x86_64-linux lib

Gem::Specification.new do |s|
  s.name = "portcullis-native".freeze
  s.version = "2.0.0.pre.1"
  s.platform = "x86_64-linux".freeze

  s.required_rubygems_version = Gem::Requirement.new("> 1.3.1".freeze) if s.respond_to? :required_rubygems_version=
  s.require_paths = ["lib".freeze]
  s.authors = ["Portcullis fixture authors".freeze]
  s.date = "2026-11-22"
  s.licenses = ["BSD-3-Clause".freeze]
  s.rubygems_version = "3.3.15".freeze
  s.summary = "Portcullis test fixture gem built for one platform".freeze

  s.installed_by_version = "3.3.15" if s.respond_to? :installed_by_version
end
