# -*- encoding: utf-8 -*-
# stub: portcullis-fixture 0.4.1 ruby lib

Gem::Specification.new do |s|
  s.name = "portcullis-fixture".freeze
  s.version = "0.4.1"

  s.required_rubygems_version = Gem::Requirement.new(">= 0".freeze) if s.respond_to? :required_rubygems_version=
  s.require_paths = ["lib".freeze]
  s.authors = ["Portcullis fixture authors".freeze]
  s.date = "2026-11-22"
  s.licenses = ["MIT".freeze, "Apache-2.0".freeze]
  s.rubygems_version = "3.3.15".freeze
  s.summary = "Portcullis test fixture gem".freeze

  s.installed_by_version = "3.3.15" if s.respond_to? :installed_by_version

  if s.respond_to? :specification_version then
    s.specification_version = 4
  end

  if s.respond_to? :add_runtime_dependency then
    s.add_runtime_dependency(%q<rake>.freeze, [">= 13"])
  else
    s.add_dependency(%q<rake>.freeze, [">= 13"])
  end
end
